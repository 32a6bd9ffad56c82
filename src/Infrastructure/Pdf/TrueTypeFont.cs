using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// A TrueType font program (glyf outlines) read far enough to lay out text and embed subsets of it: character map, advances,
/// vertical metrics, and a subsetter that keeps only the glyphs a document uses (plus the components of composite glyphs) in
/// the order the document asks for them. Immutable after construction; one instance per font file is shared by all threads.
/// </summary>
internal sealed class TrueTypeFont
{
    private readonly byte[] _data;
    private readonly Dictionary<string, (int Offset, int Length)> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _cmap = [];
    private readonly ushort[] _advances;
    private readonly short[] _leftBearings;
    private readonly int[] _glyphOffsets; // numGlyphs + 1 entries, relative to glyf

    public TrueTypeFont(byte[] data)
    {
        _data = data;
        if (data.Length < 12 || U32(0) is not (0x00010000 or 0x74727565)) // 1.0 or 'true'; CFF ('OTTO') is not TrueType
            throw new FormatException("not a TrueType font program");
        var count = U16(4);
        for (var i = 0; i < count; i++)
        {
            var record = 12 + 16 * i;
            var tag = Encoding.ASCII.GetString(data, record, 4);
            int offset = checked((int)U32(record + 8)), length = checked((int)U32(record + 12));
            if (offset < 0 || length < 0 || offset + length > data.Length)
                throw new FormatException($"table {tag} lies outside the font file");
            _tables[tag] = (offset, length);
        }
        foreach (var required in new[] { "head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "post" })
        {
            if (!_tables.ContainsKey(required))
                throw new FormatException($"the font has no {required} table");
        }

        var head = _tables["head"].Offset;
        UnitsPerEm = U16(head + 18);
        BoundingBox = (S16(head + 36), S16(head + 38), S16(head + 40), S16(head + 42));
        var longLoca = S16(head + 50) == 1;
        var hhea = _tables["hhea"].Offset;
        Ascender = S16(hhea + 4);
        Descender = S16(hhea + 6);
        int metrics = U16(hhea + 34);
        GlyphCount = U16(_tables["maxp"].Offset + 4);
        var post = _tables["post"].Offset;
        ItalicAngle = (int)U32(post + 4) / 65536.0;
        IsFixedPitch = U32(post + 12) != 0;
        CapHeight = _tables.TryGetValue("OS/2", out var os2) && U16(os2.Offset) >= 2 && os2.Length >= 90 ? S16(os2.Offset + 88) : Ascender;
        PostScriptName = ReadPostScriptName();

        _advances = new ushort[GlyphCount];
        _leftBearings = new short[GlyphCount];
        var hmtx = _tables["hmtx"].Offset;
        for (var g = 0; g < GlyphCount; g++)
        {
            if (g < metrics)
            {
                _advances[g] = U16(hmtx + 4 * g);
                _leftBearings[g] = S16(hmtx + 4 * g + 2);
            }
            else
            {
                _advances[g] = _advances[metrics - 1];
                _leftBearings[g] = S16(hmtx + 4 * metrics + 2 * (g - metrics));
            }
        }

        _glyphOffsets = new int[GlyphCount + 1];
        var loca = _tables["loca"].Offset;
        for (var g = 0; g <= GlyphCount; g++)
            _glyphOffsets[g] = longLoca ? checked((int)U32(loca + 4 * g)) : 2 * U16(loca + 2 * g);
        ReadCharacterMap();
    }

    public int UnitsPerEm { get; }
    public int GlyphCount { get; }
    public int Ascender { get; }
    public int Descender { get; }
    public int CapHeight { get; }
    public double ItalicAngle { get; }
    public bool IsFixedPitch { get; }
    public (int XMin, int YMin, int XMax, int YMax) BoundingBox { get; }
    public string PostScriptName { get; }

    /// <summary>The glyph of a character, or 0 (.notdef) when the font has none.</summary>
    public int GlyphOf(int codePoint) => _cmap.GetValueOrDefault(codePoint);

    /// <summary>Advance width in thousandths of the font size (PDF glyph space).</summary>
    public double Advance(int glyph) => _advances[glyph] * 1000.0 / UnitsPerEm;

    /// <summary>
    /// A font program holding the glyphs <paramref name="glyphs"/> (old glyph ids; the same one may appear twice) as new glyph
    /// ids 0, 1, 2, … in that order, followed by the components of composite glyphs not listed; glyph 0 must be .notdef (0).
    /// Tables that index glyphs and that a PDF renderer does not need (cmap, kern, GSUB, GPOS, hdmx, …) are left out;
    /// the hinting programs and name, OS/2 stay. Returns the program and the old glyph id of every new glyph.
    /// </summary>
    public (byte[] Program, IReadOnlyList<int> Glyphs) Subset(IReadOnlyList<int> glyphs)
    {
        if (glyphs.Count == 0 || glyphs[0] != 0)
            throw new ArgumentException("the subset must start with .notdef", nameof(glyphs));
        var order = new List<int>(glyphs);
        var first = new Dictionary<int, int>();
        for (var i = 0; i < order.Count; i++)
            first.TryAdd(order[i], i);

        var glyf = _tables["glyf"].Offset;
        var outlines = new List<byte[]>();
        for (var i = 0; i < order.Count; i++) // order grows while composites pull in their components
        {
            var old = order[i];
            if (old < 0 || old >= GlyphCount)
                throw new ArgumentOutOfRangeException(nameof(glyphs), old, "no such glyph");
            var outline = _data.AsSpan(glyf + _glyphOffsets[old], _glyphOffsets[old + 1] - _glyphOffsets[old]).ToArray();
            if (outline.Length >= 10 && BinaryPrimitives.ReadInt16BigEndian(outline) < 0)
                RemapComponents(outline, component =>
                {
                    if (!first.TryGetValue(component, out var id))
                    {
                        id = order.Count;
                        order.Add(component);
                        first.Add(component, id);
                    }
                    return id;
                });
            outlines.Add(outline);
        }

        var n = order.Count;
        var glyfTable = new MemoryStream();
        var locaTable = new byte[4 * (n + 1)];
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(locaTable.AsSpan(4 * i), (uint)glyfTable.Length);
            glyfTable.Write(outlines[i]);
            while (glyfTable.Length % 4 != 0)
                glyfTable.WriteByte(0);
        }
        BinaryPrimitives.WriteUInt32BigEndian(locaTable.AsSpan(4 * n), (uint)glyfTable.Length);

        var hmtx = new byte[4 * n];
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(hmtx.AsSpan(4 * i), _advances[order[i]]);
            BinaryPrimitives.WriteInt16BigEndian(hmtx.AsSpan(4 * i + 2), _leftBearings[order[i]]);
        }

        var head = Table("head");
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0); // checkSumAdjustment, set below
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), 1); // long loca
        var hhea = Table("hhea");
        BinaryPrimitives.WriteUInt16BigEndian(hhea.AsSpan(34), (ushort)n);
        var maxp = Table("maxp");
        BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(4), (ushort)n);
        var post = new byte[32]; // version 3: no glyph names, which would index the old glyph ids
        Table("post").AsSpan(4, 28).CopyTo(post.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(post, 0x00030000);
        for (var i = 16; i < 32; i++)
            post[i] = 0; // memory usage hints

        var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["head"] = head,
            ["hhea"] = hhea,
            ["maxp"] = maxp,
            ["hmtx"] = hmtx,
            ["loca"] = locaTable,
            ["glyf"] = glyfTable.ToArray(),
            ["post"] = post,
        };
        foreach (var kept in new[] { "OS/2", "name", "cvt ", "fpgm", "prep", "gasp" })
        {
            if (_tables.ContainsKey(kept))
                tables[kept] = Table(kept);
        }
        return (Assemble(tables), order);
    }

    /// <summary>A six-letter subset tag (PDF 1.7, 9.6.4) derived from the glyphs, so equal subsets get equal names.</summary>
    public static string SubsetTag(IReadOnlyList<int> glyphs)
    {
        var bytes = new byte[glyphs.Count * 4];
        for (var i = 0; i < glyphs.Count; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), glyphs[i]);
        var hash = SHA256.HashData(bytes);
        var tag = new char[6];
        for (var i = 0; i < 6; i++)
            tag[i] = (char)('A' + hash[i] % 26);
        return new string(tag);
    }

    /// <summary>Rewrites the glyph indices of a composite glyph's components in place (TrueType 'glyf', composite glyph description).</summary>
    private static void RemapComponents(byte[] outline, Func<int, int> map)
    {
        const int ArgsAreWords = 0x0001, HaveScale = 0x0008, MoreComponents = 0x0020, HaveXYScale = 0x0040, HaveTwoByTwo = 0x0080;
        var pos = 10;
        int flags;
        do
        {
            if (pos + 4 > outline.Length)
                throw new FormatException("composite glyph is truncated");
            flags = BinaryPrimitives.ReadUInt16BigEndian(outline.AsSpan(pos));
            var component = BinaryPrimitives.ReadUInt16BigEndian(outline.AsSpan(pos + 2));
            BinaryPrimitives.WriteUInt16BigEndian(outline.AsSpan(pos + 2), checked((ushort)map(component)));
            pos += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            if ((flags & HaveScale) != 0)
                pos += 2;
            else if ((flags & HaveXYScale) != 0)
                pos += 4;
            else if ((flags & HaveTwoByTwo) != 0)
                pos += 8;
        }
        while ((flags & MoreComponents) != 0);
    }

    /// <summary>An sfnt file from its tables: directory sorted by tag, tables 4-byte aligned, checksums and head.checkSumAdjustment set.</summary>
    private static byte[] Assemble(SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var entrySelector = (int)Math.Floor(Math.Log2(count));
        var searchRange = (1 << entrySelector) * 16;
        var size = 12 + 16 * count + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var file = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(file, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(4), (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(6), (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(8), (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(10), (ushort)(count * 16 - searchRange));
        var offset = 12 + 16 * count;
        var record = 12;
        var headOffset = 0;
        foreach (var (tag, table) in tables)
        {
            Encoding.ASCII.GetBytes(tag, file.AsSpan(record));
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(record + 4), Checksum(table));
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(record + 8), (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(record + 12), (uint)table.Length);
            table.CopyTo(file.AsSpan(offset));
            if (tag == "head")
                headOffset = offset;
            offset += (table.Length + 3) & ~3;
            record += 16;
        }
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(headOffset + 8), unchecked(0xB1B0AFBA - Checksum(file)));
        return file;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 4)
        {
            uint word = 0;
            for (var j = 0; j < 4; j++)
                word = (word << 8) | (i + j < data.Length ? data[i + j] : 0u);
            sum = unchecked(sum + word);
        }
        return sum;
    }

    private byte[] Table(string tag)
    {
        var (offset, length) = _tables[tag];
        return _data.AsSpan(offset, length).ToArray();
    }

    /// <summary>Unicode subtables of 'cmap': format 12 (full Unicode) where present, else format 4 (BMP).</summary>
    private void ReadCharacterMap()
    {
        var cmap = _tables["cmap"].Offset;
        int format4 = -1, format12 = -1;
        for (var i = 0; i < U16(cmap + 2); i++)
        {
            var record = cmap + 4 + 8 * i;
            int platform = U16(record), encoding = U16(record + 2);
            var subtable = cmap + (int)U32(record + 4);
            var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
            if (!unicode)
                continue;
            if (U16(subtable) == 12)
                format12 = subtable;
            else if (U16(subtable) == 4)
                format4 = subtable;
        }
        if (format12 >= 0)
        {
            var groups = (int)U32(format12 + 12);
            for (var g = 0; g < groups; g++)
            {
                var group = format12 + 16 + 12 * g;
                int start = (int)U32(group), end = (int)U32(group + 4), glyph = (int)U32(group + 8);
                for (var c = start; c <= end && c <= 0x10FFFF; c++)
                    Map(c, glyph + c - start);
            }
        }
        else if (format4 >= 0)
        {
            var segments = U16(format4 + 6) / 2;
            int ends = format4 + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments;
            for (var s = 0; s < segments; s++)
            {
                int end = U16(ends + 2 * s), start = U16(starts + 2 * s), delta = S16(deltas + 2 * s), rangeOffset = U16(ranges + 2 * s);
                for (var c = start; c <= end && c != 0xFFFF; c++)
                {
                    int glyph;
                    if (rangeOffset == 0)
                    {
                        glyph = (c + delta) & 0xFFFF;
                    }
                    else
                    {
                        glyph = U16(ranges + 2 * s + rangeOffset + 2 * (c - start));
                        if (glyph != 0)
                            glyph = (glyph + delta) & 0xFFFF;
                    }
                    Map(c, glyph);
                }
            }
        }
        else
        {
            throw new FormatException("the font has no Unicode character map (format 4 or 12)");
        }
    }

    private void Map(int codePoint, int glyph)
    {
        if (glyph > 0 && glyph < GlyphCount)
            _cmap[codePoint] = glyph;
    }

    private string ReadPostScriptName()
    {
        if (!_tables.TryGetValue("name", out var name))
            return "Font";
        var count = U16(name.Offset + 2);
        var strings = name.Offset + U16(name.Offset + 4);
        for (var i = 0; i < count; i++)
        {
            var record = name.Offset + 6 + 12 * i;
            int platform = U16(record), nameId = U16(record + 6), length = U16(record + 8), offset = U16(record + 10);
            if (nameId != 6)
                continue;
            var text = platform == 3 ? Encoding.BigEndianUnicode.GetString(_data, strings + offset, length)
                : Encoding.ASCII.GetString(_data, strings + offset, length);
            var clean = new string(text.Where(c => c is > ' ' and < (char)127 and not ('[' or ']' or '(' or ')' or '{' or '}' or '<' or '>' or '/' or '%')).ToArray());
            if (clean.Length > 0)
                return clean;
        }
        return "Font";
    }

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(offset));
    private short S16(int offset) => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(offset));
    private uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(offset));
}
