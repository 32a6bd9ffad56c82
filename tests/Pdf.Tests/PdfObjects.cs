using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace ECase.Pdf.Tests;

/// <summary>
/// Every object of a PDF as qpdf reads it (<c>qpdf --json=2 --json-stream-data=inline --decode-level=none</c>): dictionaries
/// keep their /Filter entries, stream data is the raw bytes, and FlateDecode is undone here.
/// </summary>
public sealed class PdfObjects
{
    private readonly Dictionary<string, JsonElement> _objects = [];

    private PdfObjects(JsonDocument json)
    {
        var qpdf = json.RootElement.GetProperty("qpdf");
        foreach (var entry in qpdf[1].EnumerateObject())
            _objects[entry.Name] = entry.Value;
    }

    public static PdfObjects Load(string path)
    {
        var result = Tools.Qpdf("--json=2", "--json-stream-data=inline", "--decode-level=none", path);
        Assert.True(result.ExitCode == 0, "qpdf --json failed: " + result.All);
        return new PdfObjects(JsonDocument.Parse(result.StdOut));
    }

    /// <summary>References ("12 0 R") of all objects, in number order.</summary>
    public IEnumerable<string> References =>
        _objects.Keys.Where(k => k.StartsWith("obj:", StringComparison.Ordinal)).Select(k => k[4..])
                .OrderBy(r => int.Parse(r.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

    public JsonElement Trailer => _objects["trailer"].GetProperty("value");

    public JsonElement Catalog => Dict(Trailer.GetProperty("/Root").GetString()!);

    public bool IsStream(string reference) => _objects["obj:" + reference].TryGetProperty("stream", out _);

    /// <summary>An object's value, or a stream's dictionary.</summary>
    public JsonElement Dict(string reference)
    {
        var obj = _objects["obj:" + reference];
        return obj.TryGetProperty("stream", out var stream) ? stream.GetProperty("dict") : obj.GetProperty("value");
    }

    public byte[] RawData(string reference) =>
        Convert.FromBase64String(_objects["obj:" + reference].GetProperty("stream").GetProperty("data").GetString()!);

    /// <summary>Stream data with FlateDecode undone (other filters, e.g. DCTDecode, are left).</summary>
    public byte[] Data(string reference)
    {
        var data = RawData(reference);
        if (!Dict(reference).TryGetProperty("/Filter", out var filter) || filter.GetString() != "/FlateDecode")
            return data;
        using var input = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Follows a reference value ("5 0 R") to its object.</summary>
    public JsonElement Resolve(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.EndsWith(" R", StringComparison.Ordinal) ? Dict(value.GetString()!) : value;

    /// <summary>Every dictionary key anywhere in the file (objects, stream dictionaries, nested dictionaries, the trailer).</summary>
    public IEnumerable<(string Where, string Key)> AllKeys()
    {
        foreach (var (name, obj) in _objects)
        {
            if (name == "trailer" || name.StartsWith("obj:", StringComparison.Ordinal))
            {
                var root = obj.TryGetProperty("stream", out var s) ? s.GetProperty("dict") : obj.GetProperty("value");
                foreach (var key in Keys(root))
                    yield return (name, key);
            }
        }
    }

    private static IEnumerable<string> Keys(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.EnumerateObject())
            {
                yield return p.Name;
                foreach (var k in Keys(p.Value))
                    yield return k;
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                foreach (var k in Keys(item))
                    yield return k;
            }
        }
    }

    /// <summary>PDF string values come as "u:text" (Unicode) or "b:hex".</summary>
    public static string Text(JsonElement value)
    {
        var s = value.GetString()!;
        Assert.StartsWith("u:", s);
        return s[2..];
    }
}
