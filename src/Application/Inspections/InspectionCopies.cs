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
        string path;
        if (version.IsPdf) path = await OriginalAsync(version.Sha256, ct);
        else if (version.PdfRenditionSha256 is { } scan) path = await OriginalAsync(scan, ct);
        else if (renditions.CanMake(version.MediaType)) path = await MadeAsync(version, ct);
        else throw NotViewable($"Documents of type {version.MediaType} cannot be shown page by page.");

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

    /// <summary>How many pages the version shows; memoised per content (content is immutable), so a list needs no file access.</summary>
    public async Task<int> PageCountAsync(ShownContent version, CancellationToken ct)
    {
        if (_pageCounts.TryGetValue(version, out var count)) return count;
        count = (await SourceAsync(version, ct)).Pages.Count;
        _pageCounts[version] = count;
        return count;
    }

    /// <summary>
    /// The citizen's copy of one document in inspection <paramref name="inspectionId"/>: <paramref name="source"/> with the
    /// redactions burnt in. Named <c>SOURCE-INSPECTION-KEY.pdf</c>; when the boxes or the title change, the new copy replaces the
    /// inspection's earlier copies of that source and their page images, which would never be shown again.
    /// </summary>
    public Task<string> RedactedAsync(Guid inspectionId, InspectionSource source, IReadOnlyList<RedactionView> redactions, string title, CancellationToken ct)
    {
        var boxes = redactions.OrderBy(r => r.AppliedAt).ThenBy(r => r.RedactionId)
            .Select(r => new Redaction(new Domain.Inspections.RedactionArea(r.Page, r.X, r.Y, r.Width, r.Height), r.WholePage, r.ReasonCode))
            .ToList();
        var key = Hash($"{System.IO.Path.GetFileName(source.PdfPath)}|{title}|{string.Join(";", boxes.Select(b => $"{b.Area}|{b.WholePage}|{b.Reason}"))}");
        // Named after the source first (its content hash), so that the copies of destroyed content can be found and deleted;
        // then the inspection, so that its stale copies can be.
        var prefix = $"{System.IO.Path.GetFileNameWithoutExtension(source.PdfPath)}-{inspectionId:N}-";
        return OnceAsync(System.IO.Path.Combine(_root, "redacted", $"{prefix}{key}.pdf"), async temp =>
        {
            foreach (var b in boxes)
            {
                if (b.Area.Page > source.Pages.Count)
                    throw new RequestInvalidException("redaction-page-invalid", $"A redaction names page {b.Area.Page}; the document has {source.Pages.Count}.");
            }

            await redactor.WriteAsync(source.PdfPath, boxes, title, temp, ct);
            Delete("redacted", prefix, keep: $"{prefix}{key}.");
            Delete("pages", prefix, keep: $"{prefix}{key}-");
        }, ct);
    }

    /// <summary>The inspections that have redacted copies or page images of them here.</summary>
    public IReadOnlySet<Guid> InspectionsWithCopies()
    {
        var ids = new HashSet<Guid>();
        foreach (var folder in new[] { "redacted", "pages" })
        {
            var dir = System.IO.Path.Combine(_root, folder);
            if (!System.IO.Directory.Exists(dir)) continue;
            foreach (var path in System.IO.Directory.EnumerateFiles(dir))
                if (CopyName.Parse(System.IO.Path.GetFileName(path)) is { Inspection: { } id }) ids.Add(id);
        }

        return ids;
    }

    /// <summary>
    /// Deletes the redacted copies, and their page images, made for the given inspections (finished ones: they are never shown
    /// again), and copies named before the inspection was part of the name (2026-11-30), which no route asks for any more.
    /// Returns how many files were deleted.
    /// </summary>
    public int DeleteCopiesOf(IReadOnlySet<Guid> inspections)
    {
        var deleted = 0;
        foreach (var folder in new[] { "redacted", "pages" })
        {
            var dir = System.IO.Path.Combine(_root, folder);
            if (!System.IO.Directory.Exists(dir)) continue;
            foreach (var path in System.IO.Directory.EnumerateFiles(dir))
            {
                var name = CopyName.Parse(System.IO.Path.GetFileName(path));
                if (name is null || !(name.Legacy || (name.Inspection is { } id && inspections.Contains(id)))) continue;
                deleted += DeleteFile(path);
            }
        }

        return deleted;
    }

    private void Delete(string folder, string prefix, string keep)
    {
        var dir = System.IO.Path.Combine(_root, folder);
        if (!System.IO.Directory.Exists(dir)) return;
        foreach (var path in System.IO.Directory.EnumerateFiles(dir, prefix + "*"))
            if (!System.IO.Path.GetFileName(path).StartsWith(keep, StringComparison.Ordinal) && !path.EndsWith(".tmp", StringComparison.Ordinal))
                DeleteFile(path);
    }

    private int DeleteFile(string path)
    {
        try
        {
            System.IO.File.Delete(path);
            _pages.TryRemove(path, out _);
            return 1;
        }
        catch (System.IO.IOException)
        {
            return 0; // deleted meanwhile; a later sweep finds anything left
        }
    }

    /// <summary>
    /// The name of a redacted copy (<c>SOURCE-INSPECTION-KEY.pdf</c>) or of one of its page images
    /// (<c>SOURCE-INSPECTION-KEY-PAGE-DPI.png</c>); SOURCE is a content hash, optionally with <c>.made</c>. Before 2026-11-30 the
    /// inspection was not part of the name (<c>SOURCE-KEY…</c>, <see cref="Legacy"/>). Page images of sources
    /// (<c>SOURCE-PAGE-DPI.png</c>) are neither.
    /// </summary>
    private sealed record CopyName(Guid? Inspection, bool Legacy)
    {
        public static CopyName? Parse(string name)
        {
            var parts = name.Split('-');
            if (parts.Length < 2 || parts[0].Length < 64 || !Domain.Cases.ContentRef.IsSha256Hex(parts[0][..64])) return null;
            if (parts[1].Length == 32 && Guid.TryParseExact(parts[1], "N", out var id)) return new CopyName(id, Legacy: false);
            var legacyKey = parts[1].Split('.')[0];
            return legacyKey.Length == 64 && Domain.Cases.ContentRef.IsSha256Hex(legacyKey) ? new CopyName(null, Legacy: true) : null;
        }
    }

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
