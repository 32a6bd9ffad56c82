using System.Collections.Concurrent;
using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;

namespace ECase.Ocr.Tests;

/// <summary>One engine for the whole collection (PoolSize 1: pages are recognised one after another on one Tesseract instance), with each page recognised once.</summary>
public sealed class OcrFixture : IDisposable
{
    public static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "ocr");

    private readonly ConcurrentDictionary<(string, int), Lazy<Task<OcrPage>>> _pages = new();

    public TesseractOcrEngine Engine { get; } = new(Options.Create(new TesseractOcrOptions { PoolSize = 1 }));

    public static string PathOf(string name) => Path.Combine(Dir, name);

    public static string GroundTruth(string name) => File.ReadAllText(PathOf(name));

    /// <summary>Sequential recognition, cached: the tests of the collection run one at a time.</summary>
    public Task<OcrPage> Page(string name, int pageIndex = 0) =>
        _pages.GetOrAdd((name, pageIndex), k => new Lazy<Task<OcrPage>>(() => Engine.RecognizeAsync(PathOf(k.Item1), k.Item2, "deu", CancellationToken.None))).Value;

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OcrCollection : ICollectionFixture<OcrFixture>
{
    public const string Name = "ocr";
}
