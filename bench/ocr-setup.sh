# Sourced by bench/run.sh for `ocr`: the comparison tools, installed if missing (Debian packages, as root).
#   tesseract-ocr  the Tesseract 5 CLI (the deu model comes with ./ecase.sh setup: tesseract-ocr-deu)
#   ocrmypdf       Debian's OCRmyPDF 14.x with what it runs: ghostscript, img2pdf, pngquant, unpaper, qpdf
#   poppler-utils  pdftotext, to score the text layer of OCRmyPDF's output
ocr_missing=()
command -v tesseract >/dev/null || ocr_missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || ocr_missing+=(tesseract-ocr-deu)
command -v ocrmypdf >/dev/null || ocr_missing+=(ocrmypdf)
command -v gs >/dev/null || ocr_missing+=(ghostscript)
command -v pdftotext >/dev/null || ocr_missing+=(poppler-utils)
if [ ${#ocr_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing ${ocr_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${ocr_missing[@]}" >/dev/null; } \
      || log "could not install ${ocr_missing[*]}; the phases that need them report NA or fail"
  else
    log "missing ${ocr_missing[*]} (run as root or apt-get install them); the phases that need them report NA or fail"
  fi
fi
unset ocr_missing
