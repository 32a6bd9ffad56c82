#!/usr/bin/env bash
# Re-creates the page images and their word boxes with Ghostscript (Debian package ghostscript; fonts-urw-base35).
# Not run by the tests: the outputs are committed. Page images: A4 at 150 dpi, 8-bit gray; A6 landscape at 100 dpi, RGB.
set -euo pipefail
cd "$(dirname "$0")"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeggray -dJPEGQ=80 -r150 -g1240x1754 -dR=150 -dH=841.92 -sPAGE=gray \
   -sOutputFile=page-gray.jpg pages.ps > page-gray.words.tsv
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -dJPEGQ=80 -r100 -g583x413 -dR=100 -dH=297.36 -sPAGE=rgb \
   -sOutputFile=page-rgb.jpg pages.ps > page-rgb.words.tsv
ls -l page-*.jpg page-*.tsv
