using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// Writes a PDF file object by object to a forward-only stream, counting bytes so that the cross-reference
/// table holds exact offsets. Objects may be written in any order; their numbers are reserved up front.
/// Classic xref table, no object streams, no compression of dictionaries: what PDF/A-2 asks and every reader reads.
/// </summary>
internal sealed class PdfFileWriter(Stream output)
{
    private readonly Dictionary<int, long> _offsets = [];
    private long _position;

    public void WriteHeader()
    {
        // PDF 1.7, then a comment of four bytes above 127 so that transfer programs treat the file as binary (PDF/A-2 6.1.2).
        WriteAscii("%PDF-1.7\n");
        Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);
    }

    /// <summary>An object whose body is a dictionary, array or other direct object given as PDF syntax.</summary>
    public void WriteObject(int number, string body)
    {
        BeginObject(number);
        WriteAscii(body);
        WriteAscii("\nendobj\n");
    }

    /// <summary>A stream object; <paramref name="dictionaryEntries"/> without /Length (added here).</summary>
    public void WriteStream(int number, string dictionaryEntries, ReadOnlySpan<byte> data)
    {
        BeginObject(number);
        WriteAscii("<<");
        WriteAscii(dictionaryEntries);
        WriteAscii(" /Length ");
        WriteAscii(data.Length.ToString(CultureInfo.InvariantCulture));
        WriteAscii(">>\nstream\n");
        Write(data);
        WriteAscii("\nendstream\nendobj\n");
    }

    /// <summary>A stream compressed with FlateDecode (zlib, RFC 1950).</summary>
    public void WriteFlateStream(int number, string dictionaryEntries, ReadOnlySpan<byte> data)
        => WriteStream(number, " /Filter /FlateDecode" + dictionaryEntries, Deflate(data));

    /// <summary>Cross-reference table, trailer with /ID, startxref and %%EOF. Every number 1..size-1 must have been written.</summary>
    public void WriteTrailer(int size, int root, int info, ReadOnlySpan<byte> id)
    {
        var xref = _position;
        var sb = new StringBuilder();
        sb.Append("xref\n0 ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("0000000000 65535 f\r\n"); // each entry exactly 20 bytes
        for (var n = 1; n < size; n++)
        {
            if (!_offsets.TryGetValue(n, out var offset))
                throw new InvalidOperationException($"PDF object {n} was reserved but not written");
            sb.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n\r\n");
        }
        var idHex = Convert.ToHexString(id);
        sb.Append("trailer\n<< /Size ").Append(size.ToString(CultureInfo.InvariantCulture))
          .Append(" /Root ").Append(Ref(root)).Append(" /Info ").Append(Ref(info))
          .Append(" /ID [<").Append(idHex).Append("> <").Append(idHex).Append(">] >>\n")
          .Append("startxref\n").Append(xref.ToString(CultureInfo.InvariantCulture)).Append("\n%%EOF\n");
        WriteAscii(sb.ToString());
        output.Flush();
    }

    public static string Ref(int number) => number.ToString(CultureInfo.InvariantCulture) + " 0 R";

    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(data);
        return buffer.ToArray();
    }

    private void BeginObject(int number)
    {
        if (!_offsets.TryAdd(number, _position))
            throw new InvalidOperationException($"PDF object {number} written twice");
        WriteAscii(number.ToString(CultureInfo.InvariantCulture));
        WriteAscii(" 0 obj\n");
    }

    private void WriteAscii(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7E)
                throw new InvalidOperationException("PDF syntax must be ASCII here; encode text strings first");
        }
        Write(Encoding.ASCII.GetBytes(text));
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        _position += bytes.Length;
    }
}
