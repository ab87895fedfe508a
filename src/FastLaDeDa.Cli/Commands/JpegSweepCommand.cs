using System.CommandLine;
using System.Globalization;
using System.Text;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Cli.Rendering;
using FastLaDeDa.Detection;
using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda jpeg-sweep ROOT --qualities 100,90,80,70</c>: the paper's JPEG-robustness
/// protocol — re-encode the fake images (or all, with --all) as baseline JPEG at each quality,
/// score, and report ACC/AP per set and quality as a table and a PNG line plot.
/// </summary>
internal static class JpegSweepCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Folder tree in the WildRF layout (0_real/ and 1_fake/ sets)." };
        var qualities = new Option<string>("--qualities") { Description = "Comma-separated JPEG qualities (1-100).", DefaultValueFactory = _ => "100,90,80,70", HelpName = "list" };
        var all = new Option<bool>("--all") { Description = "Re-encode the real images too (default: only the fakes, as in the paper)." };
        var plot = new Option<string?>("--plot") { Description = "Write the PNG line plot here (default: jpeg-sweep.png in the current folder).", HelpName = "file" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "n" };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Leave out images that cannot be read or decoded (listed) instead of stopping." };
        var format = EvalCommand.Formats();
        var model = new ModelOptions();

        var command = new Command("jpeg-sweep", "Accuracy and AP under JPEG re-compression at several qualities (table + PNG plot).")
        {
            root, qualities, all, plot, threads, skipBad, format.Json, format.Csv, format.Markdown,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            if (!TryParseQualities(parse.GetValue(qualities)!, out int[] qs)) return ExitCodes.Fatal;
            string plotPath = parse.GetValue(plot) ?? "jpeg-sweep.png";
            if (!ReportWriter.CanWrite(plotPath)) return ExitCodes.Fatal;
            if (!EvalCommand.TryFindSets(parse.GetValue(root)!, out var sets)) return ExitCodes.Fatal;
            using Detector? detector = model.Load(parse, out int exitCode);
            if (detector is null) return exitCode;

            bool everything = parse.GetValue(all);
            var runs = new List<(int Quality, EvaluationRun Run)>();
            int total = sets.Sum(s => s.Images.Count);
            try
            {
                foreach (int q in qs)
                {
                    var evaluator = new Evaluator(detector)
                    {
                        MaxDegreeOfParallelism = Math.Max(1, parse.GetValue(threads)),
                        SkipBadImages = parse.GetValue(skipBad),
                        Transform = (image, bytes) => everything || image.IsFake ? JpegReencoder.Reencode(bytes, q, image.Path) : bytes,
                    };
                    runs.Add((q, evaluator.Run(sets, progress: new ProgressBar($"quality {q}", total))));
                }
            }
            catch (Exception ex) when (ErrorReporter.IsExpected(ex))
            {
                ErrorReporter.Print(ex, null);
                return ExitCodes.SomeInputsFailed;
            }

            string selected = format.Selected(parse);
            var report = new StringBuilder();
            report.AppendLine($"JPEG re-encoding of {(everything ? "all" : "the fake")} images (stb_image_write baseline JPEG)");
            foreach (var (q, run) in runs)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"quality {q}:");
                report.Append(MetricsTable.Render(run.Sets, run.Mean, selected));
            }
            report.Append(Summary(runs, selected));
            Console.Write(report);
            foreach (var failure in runs.SelectMany(r => r.Run.Failures).DistinctBy(f => f.Image.Path)) Console.Error.WriteLine($"skipped: {failure.Error}");

            try
            {
                SavePlot(plotPath, runs, everything);
                Console.Error.WriteLine($"wrote {plotPath}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ErrorReporter.Print(ex, plotPath);
                return ExitCodes.Fatal;
            }
            return runs.Any(r => r.Run.Failures.Count > 0) ? ExitCodes.SomeInputsFailed : ExitCodes.Success;
        });
        return command;
    }

    private static bool TryParseQualities(string text, out int[] qualities)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        qualities = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out qualities[i]) || qualities[i] is < 1 or > 100)
            {
                Console.Error.WriteLine($"error: --qualities: '{parts[i]}' is not a JPEG quality between 1 and 100");
                return false;
            }
        }
        if (qualities.Length > 0) return true;
        Console.Error.WriteLine("error: --qualities: give at least one quality");
        return false;
    }

    /// <summary>Mean ACC and AP per quality in one small table (what the plot shows).</summary>
    private static string Summary(List<(int Quality, EvaluationRun Run)> runs, string format)
    {
        if (format is "json" or "csv") return "";
        var sb = new StringBuilder();
        sb.AppendLine("mean over sets:");
        sb.AppendLine(format == "markdown" ? "| quality | ACC | AP |\n|---:|---:|---:|" : "quality    ACC     AP");
        foreach (var (q, run) in runs)
            sb.AppendLine(format == "markdown"
                ? $"| {q} | {MetricsTable.Percent(run.Mean.Accuracy)} | {MetricsTable.Percent(run.Mean.AveragePrecision)} |"
                : $"{q,7}  {MetricsTable.Percent(run.Mean.Accuracy),5}  {MetricsTable.Percent(run.Mean.AveragePrecision),5}");
        return sb.ToString();
    }

    private static void SavePlot(string path, List<(int Quality, EvaluationRun Run)> runs, bool everything)
    {
        double[] x = runs.Select(r => (double)r.Quality).ToArray();
        static double Pct(double? v) => v is null ? double.NaN : 100 * v.Value;
        var series = new List<LinePlot.Series>
        {
            new("mean ACC", runs.Select(r => Pct(r.Run.Mean.Accuracy)).ToArray(), Emphasis: true),
            new("mean AP", runs.Select(r => Pct(r.Run.Mean.AveragePrecision)).ToArray(), Emphasis: true),
        };
        // One line per set only when there are several (with one, it would retrace the mean).
        foreach (string set in runs[0].Run.Sets.Count > 1 ? runs[0].Run.Sets.Select(s => s.Name) : [])
            series.Add(new($"{set} AP", runs.Select(r => Pct(r.Run.Sets.Single(s => s.Name == set).AveragePrecision)).ToArray()));
        LinePlot.Save(path, $"JPEG robustness ({(everything ? "all images" : "fakes")} re-encoded)", "JPEG quality", "%", x, series, reverseX: true);
    }
}
