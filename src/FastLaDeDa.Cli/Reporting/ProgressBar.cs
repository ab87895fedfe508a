using System.Diagnostics;

namespace FastLaDeDa.Cli.Reporting;

/// <summary>
/// A progress bar on stderr with images/s and ETA. On a terminal it redraws one line; when stderr
/// is redirected (logs, CI) it prints a line at every tenth of the work instead.
/// </summary>
internal sealed class ProgressBar : IProgress<int>
{
    private readonly string _label;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private int _lastTenth = -1;
    private long _lastDrawTicks;

    public ProgressBar(string label, int total)
    {
        _label = label;
        _total = Math.Max(total, 1);
    }

    public void Report(int done)
    {
        lock (_gate)
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            double rate = done / Math.Max(seconds, 1e-9);
            string eta = done == 0 ? "?" : TimeSpan.FromSeconds((_total - done) / rate).ToString(@"mm\:ss");
            if (_interactive)
            {
                if (done < _total && _clock.ElapsedTicks - _lastDrawTicks < Stopwatch.Frequency / 10) return;
                _lastDrawTicks = _clock.ElapsedTicks;
                int filled = (int)(30.0 * done / _total);
                Console.Error.Write($"\r{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {done}/{_total} {rate,6:F1} img/s ETA {eta} ");
                if (done >= _total) Console.Error.WriteLine();
            }
            else
            {
                int tenth = (int)(10L * done / _total);
                if (tenth == _lastTenth) return;
                _lastTenth = tenth;
                Console.Error.WriteLine($"{_label}: {done}/{_total} ({100L * done / _total}%), {rate:F1} img/s, ETA {eta}");
            }
        }
    }
}
