using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ECase.Application.Scanning;
using Microsoft.Extensions.Options;

namespace ECase.Infrastructure.Ocr;

/// <summary>
/// <see cref="IOcrEngine"/> on Tesseract 5 and leptonica through their C APIs. Per page: read and check the file
/// (<see cref="OcrImageFile"/>), decode the page to 8-bit gray or RGB, deskew it with leptonica (Tesseract's automatic
/// page segmentation drops whole lines of pages skewed by ~2°), recognise it with page segmentation mode 3 (auto) at
/// the stored resolution, and encode the deskewed image as JPEG; the word boxes refer to that image.
/// <para>
/// Thread-safe. Register as a singleton: it owns a pool of at most <see cref="TesseractOcrOptions.PoolSize"/> Tesseract
/// engines (created lazily, one per language in use, each used by one page at a time); further calls wait.
/// </para>
/// </summary>
public sealed partial class TesseractOcrEngine : IOcrEngine, IDisposable
{
    private readonly TesseractOcrOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly object _gate = new();
    private readonly List<PooledApi> _idle = [];
    private int _created;
    private bool _disposed;

    public TesseractOcrEngine(IOptions<TesseractOcrOptions> options)
    {
        _options = options.Value;
        if (_options.PoolSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "Ocr:PoolSize must be at least 1.");
        if (_options.JpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(options), "Ocr:JpegQuality must be 1..100.");
        if (_options.DefaultDpi is < 50 or > 2400) throw new ArgumentOutOfRangeException(nameof(options), "Ocr:DefaultDpi must be 50..2400.");
        if (_options.MaxPixels < 1) throw new ArgumentOutOfRangeException(nameof(options), "Ocr:MaxPixels must be positive.");
        if (_options.PageTimeout <= TimeSpan.Zero && _options.PageTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "Ocr:PageTimeout must be positive (or infinite).");
        if (!System.IO.Directory.Exists(_options.TessDataPath))
            throw new InvalidOperationException($"Ocr:TessDataPath '{_options.TessDataPath}' does not exist.");
        _slots = new SemaphoreSlim(_options.PoolSize, _options.PoolSize);
    }

    /// <summary>Version of the loaded libtesseract, e.g. "5.3.0".</summary>
    public static string TesseractVersion => TesseractNative.Version;

    public int CountPages(string imagePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        return OcrImageFile.Read(imagePath, _options).PageCount;
    }

    public async Task<OcrPage> RecognizeAsync(string imagePath, int pageIndex, string language, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        CheckLanguage(language);
        ObjectDisposedException.ThrowIf(_disposed, this);

        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Recognize(imagePath, pageIndex, language, ct), ct).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private OcrPage Recognize(string imagePath, int pageIndex, string language, CancellationToken ct)
    {
        var file = OcrImageFile.Read(imagePath, _options);
        if (pageIndex >= file.PageCount)
            throw new OcrInputException("page-out-of-range",
                $"{System.IO.Path.GetFileName(imagePath)}: page index {pageIndex} is outside 0..{file.PageCount - 1}.");
        ct.ThrowIfCancellationRequested();

        using var page = file.DecodePage(pageIndex, _options);
        var (dpiX, dpiY) = Resolution(page);

        // Deskew. pixDeskewGeneral returns a clone (same PIX) when the angle is < 0.1° or the confidence is low.
        // Its angle (measured on the corpus) is the page's skew, counter-clockwise positive; it rotates by the opposite.
        var angle = 0f;
        using var deskewed = Math.Min(LeptonicaNative.pixGetWidth(page), LeptonicaNative.pixGetHeight(page)) >= 100
            ? LeptonicaNative.pixDeskewGeneral(page, 0, 0f, 0f, 0, 0, out angle, out _)
            : new PixHandle(); // too small to measure a skew: an invalid handle, so no deskew
        var image = deskewed.IsInvalid ? page : deskewed; // on error: recognise without deskew
        var skew = image.IsSamePixAs(page) ? 0.0 : Math.Round(angle, 2);
        LeptonicaNative.pixSetResolution(image, dpiX, dpiY);
        var width = LeptonicaNative.pixGetWidth(image);
        var height = LeptonicaNative.pixGetHeight(image);

        var (text, confidence, words) = RunTesseract(image, dpiY, width, height, language, ct);

        if (LeptonicaNative.pixWriteMemJpeg(out var data, out var size, image, _options.JpegQuality, 0) != 0)
            throw new InvalidOperationException("leptonica could not encode the page as JPEG.");
        var jpeg = LeptonicaNative.TakeBuffer(data, size);

        return new OcrPage(pageIndex + 1, text, confidence, skew, width, height, dpiX, dpiY, words, jpeg);
    }

    private (int X, int Y) Resolution(PixHandle pix)
    {
        static bool Plausible(int dpi) => dpi is >= 50 and <= 2400;
        var x = LeptonicaNative.pixGetXRes(pix);
        var y = LeptonicaNative.pixGetYRes(pix);
        if (!Plausible(x) && !Plausible(y)) return (_options.DefaultDpi, _options.DefaultDpi);
        return (Plausible(x) ? x : y, Plausible(y) ? y : x);
    }

    private (string Text, float Confidence, List<OcrWord> Words) RunTesseract(PixHandle pix, int dpi, int width, int height,
        string language, CancellationToken ct)
    {
        var api = Acquire(language);
        try
        {
            TesseractNative.TessBaseAPISetImage2(api.Handle, pix);
            TesseractNative.TessBaseAPISetSourceResolution(api.Handle, dpi);
            var timeout = _options.PageTimeout;
            var deadline = timeout == Timeout.InfiniteTimeSpan || timeout.TotalDays > 1
                ? long.MaxValue
                : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            var stop = new StopCondition(ct, deadline);
            if (RecognizeWithMonitor(api.Handle, stop) != 0)
            {
                ct.ThrowIfCancellationRequested();
                if (stop.TimedOut)
                    throw new OcrInputException("recognition-timeout", $"Recognition took longer than {_options.PageTimeout}.");
                // Tesseract found nothing it could segment (e.g. a tiny or blank image): an empty page.
                return ("", 0f, []);
            }
            var (text, words) = CollectWords(api.Handle, width, height);
            var confidence = words.Count == 0 ? 0f : TesseractNative.TessBaseAPIMeanTextConf(api.Handle);
            return (text, confidence, words);
        }
        finally
        {
            TesseractNative.TessBaseAPIClear(api.Handle);
            Release(api);
        }
    }

    private static unsafe int RecognizeWithMonitor(TessApiHandle api, StopCondition stop)
    {
        var monitor = TesseractNative.TessMonitorCreate();
        var state = GCHandle.Alloc(stop);
        try
        {
            delegate* unmanaged[Cdecl]<IntPtr, int, byte> cancel = &ShouldCancel;
            TesseractNative.TessMonitorSetCancelFunc(monitor, (IntPtr)cancel);
            TesseractNative.TessMonitorSetCancelThis(monitor, GCHandle.ToIntPtr(state));
            return TesseractNative.TessBaseAPIRecognize(api, monitor);
        }
        finally
        {
            TesseractNative.TessMonitorDelete(monitor);
            state.Free();
        }
    }

    /// <summary>Tesseract's cancel callback, polled before each word. Must not throw (it is called from native code).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ShouldCancel(IntPtr cancelThis, int words)
    {
        try
        {
            return GCHandle.FromIntPtr(cancelThis).Target is StopCondition stop && stop.ShouldStop() ? (byte)1 : (byte)0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    private sealed class StopCondition(CancellationToken ct, long deadline)
    {
        public bool TimedOut { get; private set; }

        public bool ShouldStop()
        {
            if (ct.IsCancellationRequested) return true;
            if (Stopwatch.GetTimestamp() > deadline) TimedOut = true;
            return TimedOut;
        }
    }

    /// <summary>
    /// Walks the result word by word: the page text is built from the same words as the boxes (words separated by a space,
    /// lines by '\n', paragraphs and blocks by a blank line). Block is Tesseract's block number, Line a running line number
    /// on the page (both 1-based), so (Line) alone identifies a line.
    /// </summary>
    private static (string Text, List<OcrWord> Words) CollectWords(TessApiHandle api, int width, int height)
    {
        var words = new List<OcrWord>();
        var text = new StringBuilder();
        var it = TesseractNative.TessBaseAPIGetIterator(api);
        if (it == IntPtr.Zero) return ("", words);
        try
        {
            var pageIt = TesseractNative.TessResultIteratorGetPageIterator(it);
            int block = 0, line = 0;
            bool newBlock = false, newPara = false, newLine = false;
            do
            {
                newBlock |= TesseractNative.TessPageIteratorIsAtBeginningOf(pageIt, TesseractNative.RilBlock) != 0;
                newPara |= TesseractNative.TessPageIteratorIsAtBeginningOf(pageIt, TesseractNative.RilPara) != 0;
                newLine |= TesseractNative.TessPageIteratorIsAtBeginningOf(pageIt, TesseractNative.RilTextline) != 0;

                var word = TesseractNative.TakeText(TesseractNative.TessResultIteratorGetUTF8Text(it, TesseractNative.RilWord))?.Trim();
                if (string.IsNullOrEmpty(word)) continue;
                if (TesseractNative.TessPageIteratorBoundingBox(pageIt, TesseractNative.RilWord, out var l, out var t, out var r, out var b) == 0)
                    continue;

                if (words.Count == 0 || newBlock) block++;
                if (words.Count == 0 || newBlock || newPara || newLine) line++;
                if (words.Count > 0) text.Append(newBlock || newPara ? "\n\n" : newLine ? "\n" : " ");
                text.Append(word);
                newBlock = newPara = newLine = false;

                l = Math.Clamp(l, 0, width);
                t = Math.Clamp(t, 0, height);
                r = Math.Clamp(r, l, width);
                b = Math.Clamp(b, t, height);
                var confidence = TesseractNative.TessResultIteratorConfidence(it, TesseractNative.RilWord);
                words.Add(new OcrWord(word, l, t, r - l, b - t, confidence, block, line));
            }
            while (TesseractNative.TessResultIteratorNext(it, TesseractNative.RilWord) != 0);
        }
        finally
        {
            TesseractNative.TessResultIteratorDelete(it);
        }
        return (text.ToString(), words);
    }

    // ---- engine pool ----

    private sealed class PooledApi(TessApiHandle handle, string language)
    {
        public TessApiHandle Handle { get; } = handle;
        public string Language { get; } = language;
    }

    private PooledApi Acquire(string language)
    {
        PooledApi? evicted = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var i = _idle.FindIndex(p => p.Language == language);
            if (i >= 0)
            {
                var found = _idle[i];
                _idle.RemoveAt(i);
                return found;
            }
            if (_created < _options.PoolSize)
            {
                _created++;
            }
            else
            {
                // All engines exist and the caller holds a slot, so one of them is idle: replace it by one for this language.
                if (_idle.Count == 0) throw new InvalidOperationException("OCR engine pool is inconsistent.");
                evicted = _idle[0];
                _idle.RemoveAt(0);
            }
        }
        evicted?.Handle.Dispose();
        try
        {
            return CreateApi(language);
        }
        catch
        {
            lock (_gate) _created--;
            throw;
        }
    }

    private void Release(PooledApi api)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _idle.Add(api);
                return;
            }
            _created--;
        }
        api.Handle.Dispose();
    }

    private PooledApi CreateApi(string language)
    {
        var handle = TesseractNative.TessBaseAPICreate();
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException("TessBaseAPICreate failed.");
        }
        try
        {
            if (TesseractNative.TessBaseAPIInit2(handle, _options.TessDataPath, language, TesseractNative.OemLstmOnly) != 0)
                throw new InvalidOperationException($"Tesseract could not load language '{language}' from {_options.TessDataPath}.");
            TesseractNative.TessBaseAPISetPageSegMode(handle, TesseractNative.PsmAuto);
            return new PooledApi(handle, language);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*$")]
    private static partial Regex LanguagePattern();

    private void CheckLanguage(string language)
    {
        ArgumentException.ThrowIfNullOrEmpty(language);
        if (!LanguagePattern().IsMatch(language))
            throw new ArgumentException($"'{language}' is not a Tesseract language (e.g. deu, eng, deu+eng).", nameof(language));
        foreach (var part in language.Split('+'))
        {
            if (!System.IO.File.Exists(System.IO.Path.Combine(_options.TessDataPath, part + ".traineddata")))
                throw new ArgumentException($"No Tesseract data for language '{part}' in {_options.TessDataPath}.", nameof(language));
        }
    }

    public void Dispose()
    {
        List<PooledApi> idle;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _created -= idle.Count;
        }
        foreach (var api in idle) api.Handle.Dispose();
    }
}
