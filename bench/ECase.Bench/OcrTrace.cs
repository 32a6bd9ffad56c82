using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;

namespace ECase.Bench;

/// <summary>What the pipeline's OCR jobs did when, recorded by the decorators below (Stopwatch timestamps).</summary>
public sealed class OcrTrace
{
    /// <summary>One call: <paramref name="Job"/> is the job's temporary image path (one per RunOcr attempt).</summary>
    public sealed record Span(string Kind, string Job, int Page, long Queued, long Start, long End, string? Title = null);

    private readonly ConcurrentQueue<Span> _spans = new();
    private readonly ConditionalWeakTable<OcrPage, string> _jobOfPage = new();

    public IReadOnlyList<Span> Spans => [.. _spans];

    public void Add(Span s) => _spans.Enqueue(s);

    public void Clear() => _spans.Clear();

    public void Remember(OcrPage page, string job) => _jobOfPage.AddOrUpdate(page, job);

    public string JobOf(OcrPage page) => _jobOfPage.TryGetValue(page, out var job) ? job : "?";
}

/// <summary>
/// The real <see cref="TesseractOcrEngine"/>, timed. It takes one of <see cref="TesseractOcrOptions.PoolSize"/> slots before
/// calling the engine, as the engine itself does, so the engine never waits inside and the wait for a free engine
/// (<see cref="OcrTrace.Span.Queued"/> to <see cref="OcrTrace.Span.Start"/>) is told apart from the work.
/// </summary>
public sealed class TimedOcrEngine(TesseractOcrEngine inner, IOptions<TesseractOcrOptions> options, OcrTrace trace) : IOcrEngine
{
    private readonly SemaphoreSlim _slots = new(options.Value.PoolSize, options.Value.PoolSize);

    public int CountPages(string imagePath)
    {
        var t0 = Stopwatch.GetTimestamp();
        var n = inner.CountPages(imagePath);
        trace.Add(new OcrTrace.Span("count", imagePath, n, t0, t0, Stopwatch.GetTimestamp()));
        return n;
    }

    public async Task<OcrPage> RecognizeAsync(string imagePath, int pageIndex, string language, CancellationToken ct)
    {
        var queued = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var start = Stopwatch.GetTimestamp();
            var page = await inner.RecognizeAsync(imagePath, pageIndex, language, ct).ConfigureAwait(false);
            trace.Add(new OcrTrace.Span("recognise", imagePath, pageIndex + 1, queued, start, Stopwatch.GetTimestamp()));
            trace.Remember(page, imagePath);
            return page;
        }
        finally
        {
            _slots.Release();
        }
    }
}

/// <summary>The real <see cref="ECase.Infrastructure.Pdf.SearchablePdfAWriter"/>, timed.</summary>
public sealed class TimedPdfAWriter(ECase.Infrastructure.Pdf.SearchablePdfAWriter inner, OcrTrace trace) : IPdfAWriter
{
    public void WriteSearchable(IReadOnlyList<OcrPage> pages, PdfAMetadata metadata, System.IO.Stream output)
    {
        var t0 = Stopwatch.GetTimestamp();
        inner.WriteSearchable(pages, metadata, output);
        trace.Add(new OcrTrace.Span("pdf", pages.Count > 0 ? trace.JobOf(pages[0]) : "?", pages.Count, t0, t0, Stopwatch.GetTimestamp(), metadata.Title));
    }
}
