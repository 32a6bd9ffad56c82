using System.Text;

namespace ECase.Ocr.Tests;

/// <summary>
/// Character error rate as in the corpus README: Levenshtein distance in characters (Unicode NFC, every run of
/// whitespace replaced by one space, trimmed) divided by the number of ground-truth characters.
/// </summary>
public static class Cer
{
    public static string Normalize(string s) =>
        string.Join(' ', s.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static double Of(string recognized, string groundTruth)
    {
        var r = Normalize(recognized);
        var g = Normalize(groundTruth);
        return g.Length == 0 ? (r.Length == 0 ? 0 : 1) : (double)Levenshtein(r, g) / g.Length;
    }

    public static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
