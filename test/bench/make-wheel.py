#!/usr/bin/env python3
"""Writes the benchmark's ~3 MB pure-Python wheel (not NumPy: NumPy cannot be downloaded here).

Usage: make-wheel.py OUTPUT_DIR. The package `benchwheel` holds 60 modules of 50 KB of
pseudo-random hex text each, stored uncompressed so that the wheel is about 3 MB on the wire;
`import benchwheel` imports only its `__init__`.
"""
import base64
import hashlib
import random
import sys
import zipfile
from pathlib import Path

NAME, VERSION = 'benchwheel', '1.0.0'
DATE = (2026, 1, 1, 0, 0, 0)


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    return f'{name},sha256={digest},{len(data)}'


def main(out: Path) -> None:
    rng = random.Random(14)
    files = {f'{NAME}/__init__.py': 'N = 60\n'}
    for i in range(60):
        files[f'{NAME}/part{i:02}.py'] = f'DATA = "{rng.randbytes(25_000).hex()}"\n'
    dist_info = f'{NAME}-{VERSION}.dist-info'
    files[f'{dist_info}/METADATA'] = f'Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n'
    files[f'{dist_info}/WHEEL'] = 'Wheel-Version: 1.0\nGenerator: py-cell bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
    lines = [record_line(path, text.encode()) for path, text in files.items()]
    files[f'{dist_info}/RECORD'] = '\n'.join(lines + [f'{dist_info}/RECORD,,']) + '\n'
    out.mkdir(parents=True, exist_ok=True)
    path = out / f'{NAME}-{VERSION}-py3-none-any.whl'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as wheel:
        for file, text in files.items():
            wheel.writestr(zipfile.ZipInfo(file, DATE), text)
    print(path)


main(Path(sys.argv[1]))
