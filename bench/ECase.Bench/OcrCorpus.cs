using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;

namespace ECase.Bench;

/// <summary>One page of a corpus image with its ground truth.</summary>
public sealed record CorpusPage(CorpusFile File, int Index, string GroundTruthPath, string GroundTruth)
{
    /// <summary>e.g. <c>dev_02.png</c> or <c>dev_07_3p.tif p2</c>.</summary>
    public string Label => File.PageCount == 1 ? File.Name : $"{File.Name} p{Index + 1}";
}

/// <summary>One image file of the corpus (a page image, or a multi-page TIFF).</summary>
public sealed class CorpusFile(string path, string mediaType, int pageCount, int dpi)
{
    public string Path { get; } = path;

    public string Name => System.IO.Path.GetFileName(Path);

    public string Stem => System.IO.Path.GetFileNameWithoutExtension(Path);

    public string MediaType { get; } = mediaType;

    public int PageCount { get; } = pageCount;

    /// <summary>Resolution stored in the image (0: none).</summary>
    public int Dpi { get; } = dpi;

    public long Bytes => new System.IO.FileInfo(Path).Length;

    public List<CorpusPage> Pages { get; } = [];
}

/// <summary>
/// An OCR corpus folder as in <c>tests/fixtures/ocr/SOURCE.md</c>: page images (<c>.png</c>, <c>.tif</c>, <c>.tiff</c>,
/// <c>.jpg</c>, <c>.jpeg</c>) with <c>NAME.gt.txt</c>, or for a multi-page TIFF <c>NAME.pK.gt.txt</c> per page (K from 1).
/// </summary>
public sealed class OcrCorpus
{
    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
    };

    public required string Directory { get; init; }

    public required IReadOnlyList<CorpusFile> Files { get; init; }

    public IEnumerable<CorpusPage> Pages => Files.SelectMany(f => f.Pages);

    public int PageCount => Files.Sum(f => f.PageCount);

    /// <summary>Reads the folder; page counts come from the ECase engine's own reader (<see cref="TesseractOcrEngine.CountPages"/>).</summary>
    /// <exception cref="ArgumentException">no images, or a page without ground truth.</exception>
    public static OcrCorpus Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new ArgumentException($"Corpus folder '{directory}' does not exist.");
        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions()));
        var files = new List<CorpusFile>();
        foreach (var path in System.IO.Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!MediaTypes.TryGetValue(System.IO.Path.GetExtension(path), out var mediaType)) continue;
            var file = new CorpusFile(path, mediaType, engine.CountPages(path), OcrImages.Dpi(path));
            for (var i = 0; i < file.PageCount; i++)
            {
                var single = System.IO.Path.Combine(directory, $"{file.Stem}.gt.txt");
                var perPage = System.IO.Path.Combine(directory, $"{file.Stem}.p{i + 1}.gt.txt");
                var gt = file.PageCount == 1 && System.IO.File.Exists(single) ? single : perPage;
                if (!System.IO.File.Exists(gt))
                    throw new ArgumentException($"{file.Name} page {i + 1}: no ground truth ({(file.PageCount == 1 ? $"{file.Stem}.gt.txt or " : "")}{file.Stem}.p{i + 1}.gt.txt).");
                file.Pages.Add(new CorpusPage(file, i, gt, System.IO.File.ReadAllText(gt)));
            }
            files.Add(file);
        }

        if (files.Count == 0) throw new ArgumentException($"Corpus folder '{directory}' holds no .png, .tif, .tiff, .jpg or .jpeg image.");
        return new OcrCorpus { Directory = directory, Files = files };
    }

    /// <summary>
    /// At most <paramref name="maxPages"/> pages in whole files: the largest file that fits first (so a multi-page TIFF
    /// is in), then the others in name order while they fit. A corpus whose every file is larger keeps its smallest file.
    /// </summary>
    public OcrCorpus Limit(int maxPages)
    {
        var chosen = new List<CorpusFile>();
        var pages = 0;
        var largest = Files.Where(f => f.PageCount <= maxPages).OrderByDescending(f => f.PageCount).FirstOrDefault();
        if (largest is not null)
        {
            chosen.Add(largest);
            pages = largest.PageCount;
        }
        foreach (var f in Files)
        {
            if (chosen.Contains(f) || pages + f.PageCount > maxPages) continue;
            chosen.Add(f);
            pages += f.PageCount;
        }
        if (chosen.Count == 0) chosen.Add(Files.OrderBy(f => f.PageCount).First());
        return new OcrCorpus { Directory = Directory, Files = [.. Files.Where(chosen.Contains)] };
    }

    /// <summary>The file the warm-up page is cut from: the first single-page file, else the first file.</summary>
    public CorpusFile WarmUpSource => Files.FirstOrDefault(f => f.PageCount == 1) ?? Files[0];
}

/// <summary>CER of a set of pages: total edit distance over total ground-truth characters (after the corpus' normalisation).</summary>
public sealed class CerTotal
{
    private long _distance;
    private long _length;

    public int Pages { get; private set; }

    public double Value => _length == 0 ? double.NaN : (double)_distance / _length;

    /// <summary>Adds one page and returns its own CER (<see cref="ECase.Ocr.Tests.Cer"/>, shared with the OCR tests).</summary>
    public double Add(string recognized, string groundTruth)
    {
        var r = ECase.Ocr.Tests.Cer.Normalize(recognized);
        var g = ECase.Ocr.Tests.Cer.Normalize(groundTruth);
        var d = ECase.Ocr.Tests.Cer.Levenshtein(r, g);
        _distance += d;
        _length += g.Length;
        Pages++;
        return g.Length == 0 ? (r.Length == 0 ? 0 : 1) : (double)d / g.Length;
    }
}
