using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace ECase.Projections.Search;

/// <summary>
/// The page texts of an entry as one uncompressed binary doc value (<see cref="SearchFields.Pages"/>): the number of
/// pages, each page's length in UTF-16 characters (what the offsets in the postings count) and in UTF-8 bytes, then the
/// pages in UTF-8. A snippet reads the value (a copy out of the mapped file, nothing decompressed) and decodes only the
/// page its passage is on; stored fields would decompress every page of the hit and the rest of its document.
/// </summary>
internal readonly struct PageTexts
{
    private readonly byte[] _bytes;
    private readonly int[] _chars;
    private readonly int[] _byteStarts;

    private PageTexts(byte[] bytes, int[] chars, int[] byteStarts)
    {
        _bytes = bytes;
        _chars = chars;
        _byteStarts = byteStarts;
    }

    public int Count => _chars?.Length ?? 0;

    /// <summary>Length of page <paramref name="i"/> (from 0) in characters.</summary>
    public int Length(int i) => _chars[i];

    public string Page(int i) => Encoding.UTF8.GetString(_bytes, _byteStarts[i], _byteStarts[i + 1] - _byteStarts[i]);

    public string[] All() => [.. Enumerable.Range(0, Count).Select(Page)];

    /// <summary>Characters <paramref name="from"/> to <paramref name="to"/> of page <paramref name="i"/>, decoded
    /// alone (a character pair that straddles <paramref name="from"/> is taken whole).</summary>
    public Part Window(int i, int from, int to)
    {
        var bytes = _bytes;
        var b = _byteStarts[i];
        var end = _byteStarts[i + 1];
        var c = 0;
        while (b < end)
        {
            var units = bytes[b] >= 0xF0 ? 2 : 1;
            if (c + units > from) break;
            c += units;
            b += SequenceLength(bytes[b]);
        }

        var start = c;
        var first = b;
        while (b < end && c < to)
        {
            c += bytes[b] >= 0xF0 ? 2 : 1;
            b += SequenceLength(bytes[b]);
        }

        return new Part(Encoding.UTF8.GetString(bytes, first, b - first), start);
    }

    /// <summary>Bytes of the UTF-8 sequence a lead byte starts (one in UTF-16 units, two from 0xF0).</summary>
    private static int SequenceLength(byte lead) => lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;

    /// <summary>Part of a page: its text and where it starts on the page; indexed and cut in page positions.</summary>
    public readonly record struct Part(string Text, int Start)
    {
        public int End => Start + Text.Length;

        public char this[int position] => Text[position - Start];

        public string Substring(int from, int to) => Text[(from - Start)..(to - Start)];
    }

    public static byte[] Encode(IReadOnlyList<string> pages)
    {
        var header = new List<byte>(4 + pages.Count * 6);
        WriteVInt(header, pages.Count);
        var lengths = new int[pages.Count];
        for (var i = 0; i < pages.Count; i++)
        {
            lengths[i] = Encoding.UTF8.GetByteCount(pages[i]);
            WriteVInt(header, pages[i].Length);
            WriteVInt(header, lengths[i]);
        }

        var bytes = new byte[header.Count + lengths.Sum()];
        header.CopyTo(bytes);
        var at = header.Count;
        for (var i = 0; i < pages.Count; i++) at += Encoding.UTF8.GetBytes(pages[i], 0, pages[i].Length, bytes, at);
        return bytes;
    }

    /// <summary>One text as a single page.</summary>
    public static PageTexts Of(string text) => Decode(new BytesRef(Encode([text])));

    /// <summary>The pages of document <paramref name="doc"/> (segment-local) of a segment; none if it has no value.</summary>
    public static PageTexts Of(AtomicReader reader, int doc)
    {
        if (reader.GetBinaryDocValues(SearchFields.Pages) is not { } values) return Decode(new BytesRef());
        var value = new BytesRef();
        values.Get(doc, value);
        return Decode(value);
    }

    /// <summary>The pages of document <paramref name="doc"/> (top-level number) of an index.</summary>
    public static PageTexts Of(IndexReader reader, int doc)
    {
        var leaves = reader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        return Of(leaf.AtomicReader, doc - leaf.DocBase);
    }

    private static PageTexts Decode(BytesRef value)
    {
        if (value.Length == 0) return new PageTexts([], [], [0]);
        var bytes = value.Bytes;
        var at = value.Offset;
        var count = ReadVInt(bytes, ref at);
        var chars = new int[count];
        var starts = new int[count + 1];
        var byteLengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = ReadVInt(bytes, ref at);
            byteLengths[i] = ReadVInt(bytes, ref at);
        }

        starts[0] = at;
        for (var i = 0; i < count; i++) starts[i + 1] = starts[i] + byteLengths[i];
        return new PageTexts(bytes, chars, starts);
    }

    private static void WriteVInt(List<byte> to, int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            to.Add((byte)(v | 0x80));
            v >>= 7;
        }

        to.Add((byte)v);
    }

    private static int ReadVInt(byte[] bytes, ref int at)
    {
        var result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            result |= (b & 0x7f) << shift;
            if (b < 0x80) return result;
        }
    }
}
