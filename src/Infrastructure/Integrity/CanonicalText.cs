using System.Buffers;
using System.Globalization;
using System.Text;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// The canonical form of an event (<see cref="IntegritySql.Canonical"/>) rendered from its columns, character for
/// character as PostgreSQL renders <c>jsonb_build_array(…)::text</c>: elements separated by ", ", strings escaped as
/// PostgreSQL's <c>escape_json</c> does, the timestamp as integer microseconds since 1970, <c>data</c> as PostgreSQL's
/// own jsonb text. <c>verify all</c> uses it so that PostgreSQL does not render every row (half of its cost per event);
/// a stream that then does not match is checked again with PostgreSQL's rendering, which alone decides a problem.
/// </summary>
public static class CanonicalText
{
    [ThreadStatic]
    private static StringBuilder? _builder;

    public static byte[] Render(long sequence, Guid id, Guid stream, long version, string type, string? dotnetType, string? tenant, DateTime timestamp, string data)
    {
        var text = _builder ??= new StringBuilder(1024);
        text.Clear();
        var micros = (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        text.Append(CultureInfo.InvariantCulture, $"[{sequence}, \"{id:D}\", \"{stream:D}\", {version}, ");
        AppendString(text, type).Append(", ");
        AppendString(text, dotnetType).Append(", ");
        AppendString(text, tenant).Append(CultureInfo.InvariantCulture, $", {micros}, ").Append(data).Append(']');
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            text.CopyTo(0, chars, 0, text.Length);
            return Encoding.UTF8.GetBytes(chars, 0, text.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>PostgreSQL's <c>escape_json</c>: quote, backslash and the C escapes, other control characters as \u00xx, everything else as is.</summary>
    private static StringBuilder AppendString(StringBuilder text, string? value)
    {
        if (value is null) return text.Append("null");
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"');
    }
}
