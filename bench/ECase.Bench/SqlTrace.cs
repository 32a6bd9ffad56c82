using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ECase.Bench;

/// <summary>
/// In-process only (<c>--trace-sql</c>): listens to Npgsql's activities and counts round trips by statement text, so a
/// command's database conversation can be read per command. Adds some overhead of its own; do not compare its rates.
/// </summary>
public sealed partial class SqlTrace : IDisposable
{
    private readonly ConcurrentDictionary<string, (int Count, double Ms)> _statements = new();
    private readonly ActivityListener _listener;
    private volatile bool _recording;

    public SqlTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Start()
    {
        _statements.Clear();
        _recording = true;
    }

    public string Stop(int ops)
    {
        _recording = false;
        var inv = CultureInfo.InvariantCulture;
        var total = _statements.Values.Sum(v => v.Count);
        var lines = new List<string>
        {
            string.Create(inv, $"sql: {(double)total / Math.Max(1, ops):0.00} round trips per command ({total} in all), by statement:"),
        };
        foreach (var (text, v) in _statements.OrderByDescending(kv => kv.Value.Count).Take(25))
            lines.Add(string.Create(inv, $"sql:   {(double)v.Count / Math.Max(1, ops),6:0.00}/cmd  {v.Ms / v.Count,6:0.00} ms avg  {text}"));
        return string.Join(Environment.NewLine, lines);
    }

    public void Dispose() => _listener.Dispose();

    private void OnStopped(Activity a)
    {
        if (!_recording) return;
        var text = a.GetTagItem("db.query.text") as string ?? a.DisplayName;
        text = Spaces().Replace(text, " ").Trim();
        if (text.Length > 160) text = text[..160] + "…";
        _statements.AddOrUpdate(text, (1, a.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Ms + a.Duration.TotalMilliseconds));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
