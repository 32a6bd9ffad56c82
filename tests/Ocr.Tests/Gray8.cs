using System.Runtime.InteropServices;
using ECase.Infrastructure.Ocr;

namespace ECase.Ocr.Tests;

/// <summary>The pixels of an 8-bpp leptonica image (stored in 32-bit words, most significant byte first).</summary>
public sealed class Gray8
{
    private readonly byte[][] _rows;

    private Gray8(byte[][] rows, int width)
    {
        _rows = rows;
        Width = width;
    }

    public int Width { get; }

    internal static Gray8 Of(PixHandle pix)
    {
        Assert.Equal(8, LeptonicaNative.pixGetDepth(pix));
        var w = LeptonicaNative.pixGetWidth(pix);
        var h = LeptonicaNative.pixGetHeight(pix);
        var wpl = LeptonicaNative.pixGetWpl(pix);
        var data = LeptonicaNative.pixGetData(pix);
        var rows = new byte[h][];
        for (var y = 0; y < h; y++)
        {
            rows[y] = new byte[wpl * 4];
            Marshal.Copy(data + y * wpl * 4, rows[y], 0, wpl * 4);
        }
        return new Gray8(rows, w);
    }

    public byte this[int x, int y] => BitConverter.IsLittleEndian ? _rows[y][x ^ 3] : _rows[y][x];

    /// <summary>Fraction of pixels darker than mid-gray in the rectangle.</summary>
    public double DarkFraction(int left, int top, int width, int height)
    {
        long dark = 0;
        for (var y = top; y < top + height; y++)
            for (var x = left; x < left + width; x++)
                if (this[x, y] < 128) dark++;
        return (double)dark / ((long)width * height);
    }
}
