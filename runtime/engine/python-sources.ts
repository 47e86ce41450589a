// The Python package `pycell`, shipped inside the engine bundle as text (rollup's `.py` loader).
import init from '../python/pycell/__init__.py';
import display from '../python/pycell/_display.py';
import exercise from '../python/pycell/_exercise.py';
import mime from '../python/pycell/_mime.py';
import mplBackend from '../python/pycell/_mpl_backend.py';
import runner from '../python/pycell/_runner.py';
import stdin from '../python/pycell/_stdin.py';

/** File name (relative to site-packages) to source. */
export const PYCELL_FILES: Record<string, string> = {
  'pycell/__init__.py': init,
  'pycell/_display.py': display,
  'pycell/_exercise.py': exercise,
  'pycell/_mime.py': mime,
  'pycell/_runner.py': runner,
  'pycell/_mpl_backend.py': mplBackend,
  'pycell/_stdin.py': stdin,
};
