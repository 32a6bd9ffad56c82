namespace ECase.Application.Content;

public static class ContentStoreExtensions
{
    /// <summary>Stores bytes the system made itself (OCR text, renditions): stage, then promote.</summary>
    public static async Task<StagedContent> PutAsync(this IContentStore store, System.IO.Stream content, CancellationToken ct)
    {
        var staged = await store.StageAsync(content, long.MaxValue, ct);
        await store.PromoteAsync(staged, ct);
        return staged;
    }
}
