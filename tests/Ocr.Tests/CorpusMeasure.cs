using System.Diagnostics;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ECase.Ocr.Tests;

/// <summary>Runs only when OCR_CORPUS names a folder of the development set (e.g. /work/shared/corpus/ocr): CER, time and deskew per page.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("OCR_CORPUS") is null) Skip = "set OCR_CORPUS to the OCR development set to measure it";
    }
}

public sealed class CorpusMeasure(ITestOutputHelper output)
{
    [CorpusFact]
    public async Task Measure_the_development_set()
    {
        var dir = Environment.GetEnvironmentVariable("OCR_CORPUS")!;
        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { PoolSize = 1 }));
        foreach (var img in Directory.GetFiles(dir).Where(f => f.EndsWith(".png") || f.EndsWith(".tif")).Order())
        {
            var n = engine.CountPages(img);
            for (var i = 0; i < n; i++)
            {
                var gtPath = n == 1 ? Path.ChangeExtension(img, ".gt.txt") : Path.ChangeExtension(img, $".p{i + 1}.gt.txt");
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var page = await engine.RecognizeAsync(img, i, "deu", default);
                sw.Stop();
                var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var cer = Cer.Of(page.Text, File.ReadAllText(gtPath));
                output.WriteLine($"{Path.GetFileName(img)} p{i + 1}: {sw.Elapsed.TotalSeconds:0.00}s wall {cpuUsed.TotalSeconds:0.00}s cpu threads {Process.GetCurrentProcess().Threads.Count} CER {cer:P2} conf {page.MeanConfidence} skew {page.DeskewAngle} {page.WidthPx}x{page.HeightPx} dpi {page.DpiX} words {page.Words.Count} jpeg {page.JpegImage.Length}");
            }
        }
    }
}
