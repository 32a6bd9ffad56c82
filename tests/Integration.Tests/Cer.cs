namespace ECase.Integration.Tests;

/// <summary>Character error rate: edit distance between recognised text and ground truth, over the ground truth's length, whitespace collapsed.</summary>
public static class Cer
{
    public static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static double Of(string recognised, string truth)
    {
        var a = Normalize(recognised);
        var b = Normalize(truth);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }

        return b.Length == 0 ? (a.Length == 0 ? 0 : 1) : (double)previous[b.Length] / b.Length;
    }
}
