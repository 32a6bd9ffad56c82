using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Disposal;
using ECase.Application.Scanning;
using ECase.Projections.Cases;
using ECase.Projections.Inspections;
using Microsoft.Extensions.Options;

namespace ECase.Application.Inspections;

public sealed class InspectionOptions
{
    public const string Section = "Inspection";

    /// <summary>Folder of derived files: PDFs made from images, redacted copies, page images. Default: beside the content store.</summary>
    public string? CopiesPath { get; set; }

    /// <summary>Resolution of the page images shown in the browser (citizen and clerk).</summary>
    public int PageDpi { get; set; } = 100;

    /// <summary>How often granted inspections past their expiry date are closed with <c>InspectionExpired</c>.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>The content of a document version to show: its bytes, and for scans the PDF/A rendition OCR made of them.</summary>
public sealed record ShownContent(string Sha256, string MediaType, string FileName, string? PdfRenditionSha256)
{
    public static ShownContent Of(VersionView v) =>
        new(v.Sha256, v.MediaType, v.FileName, v.Renditions.FirstOrDefault(r => r.Format == RunOcrHandler.RenditionFormat)?.Sha256);

    public bool IsPdf => MediaType.Split(';')[0].Trim().Equals("application/pdf", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A document version as the inspection shows it: the PDF its pages come from, and their sizes.</summary>
public sealed record InspectionSource(string PdfPath, IReadOnlyList<PageDimensions> Pages);

/// <summary>
/// The derived files of inspections (ADR 0020), content-addressed under <see cref="InspectionOptions.CopiesPath"/>: the PDF a
/// version is shown from (the original PDF, its PDF/A rendition for scans, or a PDF/A made here from an image), the citizen's
/// redacted copy (keyed by source, boxes and title: equal input, one file) and page images. All are derived from events and
/// content, so deleting the folder is safe. Written to a temp name and renamed; one writer per key at a time.
/// </summary>
public sealed class InspectionCopies(
    IContentStore store, IRedactedCopies redactor, IArchivalRenditions renditions, IOptions<InspectionOptions> options,
    IOptions<ContentStoreOptions> content)
{
    private readonly string _root = Directory(options.Value, content.Value);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<PageDimensions>> _pages = new();
    private readonly ConcurrentDictionary<ShownContent, int> _pageCounts = new();

    public int PageDpi => options.Value.PageDpi;

    public static string Directory(InspectionOptions options, ContentStoreOptions content) =>
        options.CopiesPath ?? System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(content.Root.TrimEnd('/'))) ?? ".", "inspection-copies");

    /// <summary>The PDF the version's pages are shown from, and its page sizes.</summary>
    /// <exception cref="RequestInvalidException">409 <c>inspection-document-not-viewable</c>: no PDF can be had for this media type or content.</exception>
    public async Task<InspectionSource> SourceAsync(ShownContent version, CancellationToken ct)
    {
        var path = SourceName(version) switch
        {
            null => throw NotViewable($"Documents of type {version.MediaType} cannot be shown page by page."),
            var name when name.EndsWith(MadeSuffix, StringComparison.Ordinal) => await MadeAsync(version, ct),
            var name => await OriginalAsync(name[..64], ct),
        };

        var pages = _pages.GetOrAdd(path, p =>
        {
            try
            {
                return redactor.PageSizes(p);
            }
            catch (System.IO.InvalidDataException e)
            {
                throw NotViewable(e.Message);
            }
        });
        return new InspectionSource(path, pages);
    }

    private const string MadeSuffix = ".made.pdf";

    /// <summary>
    /// The file name in <c>sources</c> the version is shown from: the original PDF, for scans the OCR's PDF/A rendition, for other
    /// images a PDF/A made here; null if none can be had.
    /// </summary>
    public string? SourceName(ShownContent version) =>
        version.IsPdf ? version.Sha256 + ".pdf"
        : version.PdfRenditionSha256 is { } scan ? scan + ".pdf"
        : renditions.CanMake(version.MediaType) ? version.Sha256 + MadeSuffix
        : null;

    /// <summary>How many pages the version shows; memoised per content (content is immutable), so a list needs no file access.</summary>
    public async Task<int> PageCountAsync(ShownContent version, CancellationToken ct)
    {
        if (_pageCounts.TryGetValue(version, out var count)) return count;
        count = (await SourceAsync(version, ct)).Pages.Count;
        _pageCounts[version] = count;
        return count;
    }

    /// <summary>The citizen's copy: <paramref name="source"/> with the redactions burnt in.</summary>
    public Task<string> RedactedAsync(InspectionSource source, IReadOnlyList<RedactionView> redactions, string title, CancellationToken ct)
    {
        var boxes = Boxes(redactions);
        return OnceAsync(System.IO.Path.Combine(_root, "redacted", Stem(System.IO.Path.GetFileName(source.PdfPath), boxes, title) + ".pdf"), async temp =>
        {
            foreach (var b in boxes)
            {
                if (b.Area.Page > source.Pages.Count)
                    throw new RequestInvalidException("redaction-page-invalid", $"A redaction names page {b.Area.Page}; the document has {source.Pages.Count}.");
            }

            await redactor.WriteAsync(source.PdfPath, boxes, title, temp, ct);
        }, ct);
    }

    /// <summary>
    /// The name (without <c>.pdf</c>) of the redacted copy of source <paramref name="sourceName"/> with these boxes and this title:
    /// <c>SOURCE-KEY</c>, SOURCE the source's content hash (so that the copies of destroyed content can be found and deleted),
    /// KEY a hash of the source, the title and the boxes (equal input, one file, shared by every inspection that shows it).
    /// </summary>
    public static string RedactedStem(string sourceName, IReadOnlyList<RedactionView> redactions, string title) =>
        Stem(sourceName, Boxes(redactions), title);

    private static string Stem(string sourceName, List<Redaction> boxes, string title)
    {
        var key = Hash($"{sourceName}|{title}|{string.Join(";", boxes.Select(b => $"{b.Area}|{b.WholePage}|{b.Reason}"))}");
        return $"{System.IO.Path.GetFileNameWithoutExtension(sourceName)}-{key}";
    }

    /// <summary>
    /// Deletes the redacted copies, and the page images made of them, that are not in <paramref name="needed"/> (names as
    /// <see cref="RedactedStem"/>) and were last written more than <paramref name="minAge"/> ago (a copy made while the caller
    /// collected what is needed stays for the next round). Returns how many files were deleted.
    /// </summary>
    public int DeleteRedactedExcept(IReadOnlySet<string> needed, TimeSpan minAge)
    {
        var before = DateTime.UtcNow - minAge;
        var deleted = 0;
        foreach (var folder in new[] { "redacted", "pages" })
        {
            var dir = System.IO.Path.Combine(_root, folder);
            if (!System.IO.Directory.Exists(dir)) continue;
            foreach (var path in System.IO.Directory.EnumerateFiles(dir))
            {
                if (RedactedStemOf(System.IO.Path.GetFileName(path)) is not { } stem || needed.Contains(stem)) continue;
                if (System.IO.File.GetLastWriteTimeUtc(path) > before) continue;
                System.IO.File.Delete(path);
                _pages.TryRemove(path, out _);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// <c>SOURCE-KEY</c> of a redacted copy (<c>SOURCE-KEY.pdf</c>) or of a page image of one (<c>SOURCE-KEY-PAGE-DPI.png</c>);
    /// null for anything else, such as the page images of a source (<c>SOURCE-PAGE-DPI.png</c>) or a temp file.
    /// </summary>
    private static string? RedactedStemOf(string name)
    {
        if (name.EndsWith(".tmp", StringComparison.Ordinal)) return null;
        var parts = name.Split('-');
        if (parts.Length < 2 || parts[0].Length < 64 || !Domain.Cases.ContentRef.IsSha256Hex(parts[0][..64])) return null;
        var key = parts[1].Split('.')[0];
        return key.Length == 64 && Domain.Cases.ContentRef.IsSha256Hex(key) ? $"{parts[0]}-{key}" : null;
    }

    private static List<Redaction> Boxes(IReadOnlyList<RedactionView> redactions) =>
        [.. redactions.OrderBy(r => r.AppliedAt).ThenBy(r => r.RedactionId)
            .Select(r => new Redaction(new Domain.Inspections.RedactionArea(r.Page, r.X, r.Y, r.Width, r.Height), r.WholePage, r.ReasonCode))];

    /// <summary>Page <paramref name="page"/> (1-based) of a PDF made or kept here, as PNG at <see cref="PageDpi"/>.</summary>
    public Task<string> PageImageAsync(string pdfPath, int page, CancellationToken ct) =>
        OnceAsync(System.IO.Path.Combine(_root, "pages", $"{System.IO.Path.GetFileNameWithoutExtension(pdfPath)}-{page}-{PageDpi}.png"),
            temp => redactor.RenderPageAsync(pdfPath, page, PageDpi, temp, ct), ct);

    /// <summary>
    /// Deletes every file derived from the given content (disposal): the PDFs shown from it, the redacted copies and the page
    /// images, all of which are named after the content hash they come from. Returns how many files were deleted.
    /// </summary>
    public int DeleteDerivedFrom(IReadOnlyCollection<string> sha256s)
    {
        if (sha256s.Count == 0) return 0;
        var gone = new HashSet<string>(sha256s, StringComparer.Ordinal);
        var deleted = 0;
        foreach (var folder in new[] { "sources", "redacted", "pages" })
        {
            var dir = System.IO.Path.Combine(_root, folder);
            if (!System.IO.Directory.Exists(dir)) continue;
            foreach (var path in System.IO.Directory.EnumerateFiles(dir))
            {
                var name = System.IO.Path.GetFileName(path);
                if (name.Length <= 64 || name[64] is not ('.' or '-') || !gone.Contains(name[..64])) continue;
                System.IO.File.Delete(path);
                _pages.TryRemove(path, out _);
                deleted++;
            }
        }

        foreach (var version in _pageCounts.Keys.Where(v => gone.Contains(v.Sha256) || (v.PdfRenditionSha256 is { } r && gone.Contains(r))))
            _pageCounts.TryRemove(version, out _);
        return deleted;
    }

    private static RequestInvalidException NotViewable(string why) =>
        new("inspection-document-not-viewable", why, status: 409);

    /// <summary>Stored bytes copied out of the content store (verified on the way), named by their hash.</summary>
    private Task<string> OriginalAsync(string sha256, CancellationToken ct) =>
        OnceAsync(System.IO.Path.Combine(_root, "sources", sha256 + ".pdf"), async temp =>
        {
            await using var source = store.OpenRead(sha256);
            await using var target = System.IO.File.Create(temp);
            await source.CopyToAsync(target, ct);
        }, ct);

    private Task<string> MadeAsync(ShownContent version, CancellationToken ct) =>
        OnceAsync(System.IO.Path.Combine(_root, "sources", version.Sha256 + ".made.pdf"), async temp =>
        {
            var input = temp + ".in";
            try
            {
                await using (var source = store.OpenRead(version.Sha256))
                await using (var target = System.IO.File.Create(input))
                    await source.CopyToAsync(target, ct);
                var result = await renditions.MakeAsync(input, version.MediaType, version.FileName, temp, ct);
                if (result.Outcome == ArchivalOutcome.AlreadyArchival) System.IO.File.Copy(input, temp, overwrite: true);
                else if (result.Outcome != ArchivalOutcome.Made) throw NotViewable(result.Reason ?? $"{version.FileName} cannot be converted to PDF.");
            }
            finally
            {
                System.IO.File.Delete(input);
            }
        }, ct);

    /// <summary>Makes <paramref name="path"/> once: written by <paramref name="make"/> to a temp file, then renamed into place.</summary>
    private async Task<string> OnceAsync(string path, Func<string, Task> make, CancellationToken ct)
    {
        if (System.IO.File.Exists(path)) return path;
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (System.IO.File.Exists(path)) return path;
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                await make(temp);
                System.IO.File.Move(temp, path, overwrite: true);
            }
            finally
            {
                System.IO.File.Delete(temp);
            }

            return path;
        }
        finally
        {
            gate.Release();
            _locks.TryRemove(new KeyValuePair<string, SemaphoreSlim>(path, gate));
        }
    }

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
