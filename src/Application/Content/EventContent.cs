using System.Text.Json;
using ECase.Domain.Cases;

namespace ECase.Application.Content;

/// <summary>Finds the content an event names, whatever its type: every object with a SHA-256 <c>Sha256</c> and a numeric <c>Size</c>.</summary>
public static class EventContent
{
    public static IEnumerable<(string Sha256, long Size)> Refs(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("Sha256", out var sha) && sha.ValueKind == JsonValueKind.String && ContentRef.IsSha256Hex(sha.GetString())
                && element.TryGetProperty("Size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes))
                yield return (sha.GetString()!, bytes);
            foreach (var property in element.EnumerateObject())
                foreach (var found in Refs(property.Value)) yield return found;
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in Refs(item)) yield return found;
        }
    }
}
