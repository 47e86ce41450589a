// Loaded by persist-config.html: the page-wide persist setting, made after the cells upgraded.
import { configure } from '../../dist/py-cell.js';

configure({ persist: true });
