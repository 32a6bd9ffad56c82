using System.Text.Json;
using ECase.Application.Content;
using ECase.Application.Scanning;
using ECase.Application.Submissions;
using ECase.Domain.Cases;
using ECase.Projections.Search;
using Marten;
using Microsoft.Extensions.Logging;

namespace ECase.Infrastructure.Search;

/// <summary>Page texts from the content store (verified on read), senders' names from their documents.</summary>
public sealed class SearchTextSource(IContentStore store, IDocumentStore documents, ILogger<SearchTextSource> log) : ISearchTextSource
{
    public async Task<IReadOnlyList<string>?> PagesAsync(ContentRef text, CancellationToken ct)
    {
        try
        {
            await using var stream = store.OpenRead(text.Sha256);
            var document = await JsonSerializer.DeserializeAsync<DocumentText>(stream, JsonSerializerOptions.Web, ct);
            if (document is null) return null;
            var pages = new string[document.Pages.Count == 0 ? 0 : document.Pages.Max(p => p.Number)];
            Array.Fill(pages, "");
            foreach (var page in document.Pages.Where(p => p.Number >= 1)) pages[page.Number - 1] = page.Text;
            return pages;
        }
        catch (ContentMissingException)
        {
            // Destroyed content (disposal) has nothing left to index.
            log.LogWarning("Search index: text {Sha256} is no longer in the content store; indexing the document without text", text.Sha256);
            return null;
        }
    }

    public async Task<string?> SenderNameAsync(Guid senderId, CancellationToken ct)
    {
        await using var session = documents.QuerySession();
        return (await session.LoadAsync<Sender>(senderId, ct))?.Name;
    }
}
