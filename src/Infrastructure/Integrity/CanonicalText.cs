using System.Buffers;
using System.Globalization;
using System.Text;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// The canonical form of an event (<see cref="IntegritySql.Canonical"/>) rendered from its columns, byte for byte as
/// PostgreSQL renders <c>jsonb_build_array(…)::text</c> in UTF-8: elements separated by ", ", strings escaped as
/// PostgreSQL's <c>escape_json</c> does, the timestamp as integer microseconds since 1970, <c>data</c> as PostgreSQL's
/// own jsonb text. <c>verify all</c> uses it so that PostgreSQL does not render every row (half of its cost per event);
/// a stream that then does not match is checked again with PostgreSQL's rendering, which alone decides a problem.
/// </summary>
public static class CanonicalText
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <param name="data">The jsonb column as PostgreSQL's text in UTF-8 (what Npgsql reads as <c>byte[]</c>).</param>
    public static byte[] Render(
        long sequence, Guid id, Guid stream, long version, string type, string? dotnetType, string? tenant, DateTime timestamp, ReadOnlySpan<byte> data)
    {
        var micros = (timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        // At most 6 bytes per escaped character (\u00xx), 3 per UTF-16 code unit otherwise; numbers, uuids and separators in 160.
        var max = 160 + (6 * (type.Length + (dotnetType?.Length ?? 0) + (tenant?.Length ?? 0))) + data.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var inv = CultureInfo.InvariantCulture;
            var n = 0;
            void Bytes(ReadOnlySpan<byte> bytes)
            {
                bytes.CopyTo(buffer.AsSpan(n));
                n += bytes.Length;
            }

            void Number(long value)
            {
                value.TryFormat(buffer.AsSpan(n), out var written, default, inv);
                n += written;
            }

            void Uuid(Guid value)
            {
                buffer[n++] = (byte)'"';
                value.TryFormat(buffer.AsSpan(n), out var written, "D");
                n += written;
                buffer[n++] = (byte)'"';
            }

            void Text(string? value)
            {
                if (value is null)
                {
                    Bytes("null"u8);
                    return;
                }

                buffer[n++] = (byte)'"';
                var from = 0;
                for (var i = 0; i < value.Length; i++)
                {
                    var c = value[i];
                    if (c >= ' ' && c != '"' && c != '\\') continue;
                    n += Encoding.UTF8.GetBytes(value.AsSpan(from, i - from), buffer.AsSpan(n));
                    from = i + 1;
                    Bytes(c switch
                    {
                        '"' => "\\\""u8,
                        '\\' => "\\\\"u8,
                        '\b' => "\\b"u8,
                        '\f' => "\\f"u8,
                        '\n' => "\\n"u8,
                        '\r' => "\\r"u8,
                        '\t' => "\\t"u8,
                        _ => [(byte)'\\', (byte)'u', (byte)'0', (byte)'0', Hex[c >> 4], Hex[c & 0xF]],
                    });
                }

                n += Encoding.UTF8.GetBytes(value.AsSpan(from), buffer.AsSpan(n));
                buffer[n++] = (byte)'"';
            }

            buffer[n++] = (byte)'[';
            Number(sequence);
            Bytes(", "u8);
            Uuid(id);
            Bytes(", "u8);
            Uuid(stream);
            Bytes(", "u8);
            Number(version);
            Bytes(", "u8);
            Text(type);
            Bytes(", "u8);
            Text(dotnetType);
            Bytes(", "u8);
            Text(tenant);
            Bytes(", "u8);
            Number(micros);
            Bytes(", "u8);
            Bytes(data);
            buffer[n++] = (byte)']';
            return buffer.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
