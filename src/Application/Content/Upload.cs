using System.Buffers;
using ECase.Application.Common;
using ECase.Domain.Cases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ECase.Application.Content;

public sealed record UploadedFile(string FieldName, string FileName, string MediaType, StagedContent Staged)
{
    public ContentRef ToContentRef() => new(Staged.Sha256, Staged.Size, MediaType, FileName);
}

/// <summary>
/// A multipart/form-data request read part by part: fields in memory, files streamed into staging (ADR 0004).
/// Nothing reaches the store until <see cref="PromoteAsync"/>; <see cref="RollBack"/> removes what this upload added.
/// </summary>
public sealed class Upload : IDisposable
{
    private const int MaxSections = 200;
    private const int MaxFieldLength = 64 * 1024;

    private readonly IContentStore _store;
    private readonly List<string> _created = [];

    private Upload(IContentStore store) => _store = store;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<UploadedFile> Files { get; } = [];

    public string? Field(string name) => Fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public static async Task<Upload> ReadAsync(HttpRequest request, IContentStore store, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new RequestInvalidException("multipart-required", "The request must be multipart/form-data with a boundary.", status: 415);
        }

        var upload = new Upload(store);
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            var remaining = maxBytes;
            var sections = 0;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (++sections > MaxSections) throw new RequestInvalidException("multipart-too-many-parts", $"At most {MaxSections} parts are accepted.");
                var disposition = section.GetContentDispositionHeader()
                    ?? throw new RequestInvalidException("multipart-malformed", "A part has no Content-Disposition header.");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var file = await upload.StageFileAsync(section, disposition, name, remaining, ct);
                    remaining -= file.Staged.Size;
                }
                else
                {
                    upload.Fields[name] = await ReadFieldAsync(section, name, ct);
                }
            }

            return upload;
        }
        catch (Exception e)
        {
            upload.Dispose();
            if (e is System.IO.IOException and not ContentCorruptedException || e is InvalidDataException)
                throw new RequestInvalidException("multipart-malformed", $"The multipart body is malformed or truncated: {e.Message}");
            throw;
        }
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken ct)
    {
        using var text = new StreamReader(section.Body);
        // Pooled: a fresh buffer of the largest field size per field would be a large-object-heap allocation each time.
        var buffer = ArrayPool<char>.Shared.Rent(MaxFieldLength + 1);
        try
        {
            var length = await text.ReadBlockAsync(buffer.AsMemory(0, MaxFieldLength + 1), ct);
            if (length > MaxFieldLength) throw RequestInvalidException.Field(name, $"A form field holds at most {MaxFieldLength} characters.");
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private async Task<UploadedFile> StageFileAsync(MultipartSection section, ContentDispositionHeaderValue disposition, string field, long remaining, CancellationToken ct)
    {
        // FileNameStar carries RFC 5987 (UTF-8) names; both are checked as given, never cleaned up silently.
        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star
            ? star
            : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
        if (!ContentRef.IsPlainFileName(fileName))
            throw new RequestInvalidException(ContentRef.InvalidFileName.Code, ContentRef.InvalidFileName.Message,
                new Dictionary<string, string[]> { [field] = [$"'{fileName}' is not a plain file name."] });
        var mediaType = MediaTypes.Normalize(section.ContentType)
            ?? throw new RequestInvalidException("media-type-not-allowed",
                $"'{section.ContentType}' is not an accepted document type. Accepted: {string.Join(", ", MediaTypes.All)}.", status: 415);

        var staged = await _store.StageAsync(section.Body, remaining, ct);
        var file = new UploadedFile(field, fileName, mediaType, staged);
        Files.Add(file);
        if (staged.Size == 0) throw RequestInvalidException.Field(field, $"'{fileName}' is empty.");
        if (!MediaTypes.HeadMatches(mediaType, staged.Head))
            throw new RequestInvalidException("content-does-not-match-media-type",
                $"The bytes of '{fileName}' are not {mediaType}.", new Dictionary<string, string[]> { [field] = ["content does not match its media type"] });
        return file;
    }

    /// <summary>Moves every staged file into the store, remembering which bytes are new.</summary>
    public async Task PromoteAsync(CancellationToken ct)
    {
        foreach (var f in Files)
            if (await _store.PromoteAsync(f.Staged, ct)) _created.Add(f.Staged.Sha256);
    }

    /// <summary>Removes the bytes this upload added to the store: the events that would have pointed at them were not written.</summary>
    public void RollBack()
    {
        foreach (var sha in _created) _store.Delete(sha);
        _created.Clear();
    }

    public void Dispose()
    {
        foreach (var f in Files) _store.Discard(f.Staged);
    }
}
