using System.Diagnostics;
using System.Globalization;

namespace FastLaDeDa.Cli.Reporting;

/// <summary>
/// A progress bar on stderr: items done, items/s, a running loss when there is one, and ETA. On a
/// terminal it redraws one line (at most ten times a second); when stderr is redirected (logs, nohup,
/// CI) it prints a line at every tenth of the work instead. The CLI's evaluations and the trainer's
/// epochs share it (the trainer links this file). Thread-safe.
/// </summary>
internal sealed class ProgressBar : IProgress<int>
{
    private readonly string _label;
    private readonly string _unit;
    private readonly long _total;
    private readonly TextWriter _output = Console.Error;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _lastTenth = -1;
    private long _lastDrawTicks = long.MinValue;

    /// <summary>Starts a bar for <paramref name="total"/> items (<paramref name="unit"/>: images, patches, files).</summary>
    public ProgressBar(string label, long total, string unit = "img")
    {
        _label = label;
        _unit = unit;
        _total = Math.Max(total, 1);
    }

    /// <summary>Seconds since the bar started.</summary>
    public double ElapsedSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Reports <paramref name="done"/> items finished.</summary>
    public void Report(int done) => Report(done, null);

    /// <summary>Reports <paramref name="done"/> items finished and the running mean loss (null: no loss to show, e.g. inference only).</summary>
    public void Report(long done, double? loss)
    {
        lock (_gate)
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            double rate = done / Math.Max(seconds, 1e-9);
            string eta = done == 0 ? "?" : FormatDuration((_total - done) / rate);
            string lossText = loss is { } l ? " loss " + l.ToString("F4", CultureInfo.InvariantCulture) : "";
            string rest = string.Create(CultureInfo.InvariantCulture, $"{rate:F1} {_unit}/s{lossText} ETA {eta}");
            long clamped = Math.Min(done, _total);
            if (_interactive)
            {
                if (done < _total && _clock.ElapsedTicks - _lastDrawTicks < Stopwatch.Frequency / 10) return;
                _lastDrawTicks = _clock.ElapsedTicks;
                int filled = (int)(30 * clamped / _total);
                _output.Write($"\r{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {done}/{_total} {rest} ");
                if (done >= _total) _output.WriteLine();
            }
            else
            {
                int tenth = (int)(10 * clamped / _total);
                if (tenth <= _lastTenth) return;
                _lastTenth = tenth;
                _output.WriteLine($"{_label}: {done}/{_total} ({100 * clamped / _total}%) {rest}");
            }
            _output.Flush();
        }
    }

    /// <summary>h:mm:ss or m:ss.</summary>
    public static string FormatDuration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return "?";
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
    }
}
