using System.CommandLine;
using System.Globalization;
using System.Text;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Detection;
using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda eval ROOT</c>: ACC, real/fake ACC, AP and AUC per set of a WildRF-style folder
/// tree, with the mean row, as the paper's tables report them.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Folder tree in the WildRF layout: every folder holding 0_real/ and/or 1_fake/ is a set." };
        var format = Formats();
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout.", HelpName = "file" };
        var scores = new Option<string?>("--scores") { Description = "Also write every image's score to this CSV file (set, path, truth, logit, probability, predicted, error).", HelpName = "file" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "n" };
        var threshold = new Option<double>("--threshold") { Description = "Probability above which an image counts as fake (default 0.5).", DefaultValueFactory = _ => 0.5, HelpName = "p" };
        var bestOn = new Option<string?>("--best-threshold-on") { Description = "Also report the threshold that maximises accuracy on this set (a set name, or 'all').", HelpName = "set" };
        var skipBad = new Option<bool>("--skip-bad") { Description = "List and count images that cannot be read or decoded, and go on without them (default: stop at the first, naming it)." };
        var model = new ModelOptions();

        var command = new Command("eval", "Evaluate a detector on a folder tree of real and fake images (ACC / AP / AUC per set).")
        {
            root, format.Json, format.Csv, format.Markdown, output, scores, threads, threshold, bestOn, skipBad,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            double p = parse.GetValue(threshold);
            if (!CommonOptions.IsProbability(p))
            {
                Console.Error.WriteLine($"error: --threshold must lie strictly between 0 and 1, got {p.ToString(CultureInfo.InvariantCulture)}");
                return ExitCodes.Fatal;
            }
            if (!ReportWriter.CanWrite(parse.GetValue(output)) || !ReportWriter.CanWrite(parse.GetValue(scores))) return ExitCodes.Fatal;
            if (!TryFindSets(parse.GetValue(root)!, out var sets)) return ExitCodes.Fatal;
            using Detector? detector = model.Load(parse, out int exitCode);
            if (detector is null) return exitCode;

            var evaluator = new Evaluator(detector) { MaxDegreeOfParallelism = Math.Max(1, parse.GetValue(threads)), SkipBadImages = parse.GetValue(skipBad) };
            EvaluationRun run;
            try
            {
                int total = sets.Sum(s => s.Images.Count);
                run = evaluator.Run(sets, p, new ProgressBar("eval", total));
            }
            catch (Exception ex) when (ErrorReporter.IsExpected(ex))
            {
                ErrorReporter.Print(ex, null);
                Console.Error.WriteLine("(pass --skip-bad to list unreadable images and evaluate the others)");
                return ExitCodes.SomeInputsFailed;
            }

            var report = new StringBuilder(MetricsTable.Render(run.Sets, run.Mean, format.Selected(parse)));
            foreach (var set in run.Sets.Where(s => s.AveragePrecision is null))
                Console.Error.WriteLine($"note: set {set.Name} has {(set.RealCount == 0 ? "no real" : "no fake")} images: AP and AUC are undefined (n/a)");
            string? bestSet = parse.GetValue(bestOn);
            if (bestSet is not null && !AppendBestThreshold(report, run, bestSet)) return ExitCodes.Fatal;
            NoteModelThreshold(detector, run);
            foreach (var failure in run.Failures) Console.Error.WriteLine($"skipped: {failure.Error}");
            if (run.Failures.Count > 0) Console.Error.WriteLine($"skipped {run.Failures.Count} unreadable image(s); they are not in the metrics");

            if (!ReportWriter.TryWrite(parse.GetValue(output), report.ToString())) return ExitCodes.Fatal;
            string? scoresPath = parse.GetValue(scores);
            if (scoresPath is not null && !ReportWriter.TryWrite(scoresPath, ScoresCsv(run))) return ExitCodes.Fatal;
            return run.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
        });
        return command;
    }

    /// <summary>The --json / --csv / --markdown switches (one at most; default a console table).</summary>
    internal sealed record FormatOptions(Option<bool> Json, Option<bool> Csv, Option<bool> Markdown)
    {
        public string Selected(ParseResult parse) =>
            parse.GetValue(Json) ? "json" : parse.GetValue(Csv) ? "csv" : parse.GetValue(Markdown) ? "markdown" : "table";
    }

    internal static FormatOptions Formats() => new(
        new Option<bool>("--json") { Description = "Report as JSON." },
        new Option<bool>("--csv") { Description = "Report as CSV." },
        new Option<bool>("--markdown") { Description = "Report as a Markdown table." });

    /// <summary>Finds the sets under <paramref name="root"/>, printing one error line when there are none.</summary>
    internal static bool TryFindSets(string root, out IReadOnlyList<EvaluationSet> sets)
    {
        sets = [];
        try
        {
            sets = DatasetWalker.FindSets(root);
        }
        catch (DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {root}: folder not found");
            return false;
        }
        if (sets.Count == 0)
        {
            Console.Error.WriteLine($"error: {root}: no sets found (no folder under it contains 0_real/ or 1_fake/)");
            return false;
        }
        var empty = sets.Where(s => s.Images.Count == 0).Select(s => s.Name).ToList();
        if (empty.Count == sets.Count)
        {
            Console.Error.WriteLine($"error: {root}: the sets hold no image files (extensions: {string.Join(' ', DatasetWalker.ImageExtensions.Order())})");
            return false;
        }
        foreach (string name in empty) Console.Error.WriteLine($"note: set {name} holds no image files");
        return true;
    }

    /// <summary>
    /// With calibrated weights (a <c>threshold</c> in their metadata) the report's ACC stays at the
    /// run's threshold (0.5 by PROTOCOL.md unless --threshold); a note on stderr gives the mean ACC at the weights' one.
    /// </summary>
    private static void NoteModelThreshold(Detector detector, EvaluationRun run)
    {
        if (detector.ThresholdSource != ThresholdSource.Weights || detector.Threshold == run.Threshold) return;
        var sets = run.Sets.Select(set => EvaluationRun.Metrics(set.Name, run.Scores.Where(s => s.Set == set.Name), detector.Threshold, run.Temperature)).ToList();
        var mean = SetMetrics.Mean(sets);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"note: at the weights' calibrated threshold P(fake) > {detector.Threshold:G6}: mean ACC {MetricsTable.Percent(mean.Accuracy)} (real {MetricsTable.Percent(mean.RealAccuracy)}, fake {MetricsTable.Percent(mean.FakeAccuracy)}); the report's ACC is at {run.Threshold:G6}"));
    }

    private static bool AppendBestThreshold(StringBuilder report, EvaluationRun run, string setName)
    {
        var scored = run.Scores.Where(s => s.Logit is not null && (setName == "all" || s.Set == setName)).ToList();
        if (scored.Count == 0)
        {
            Console.Error.WriteLine($"error: --best-threshold-on: no scored images in set '{setName}' (sets: {string.Join(", ", run.Sets.Select(s => s.Name))}, or all)");
            return false;
        }
        // Logits over the temperature: the thresholds are on the probability the run reports.
        double[] logits = scored.Select(s => s.Logit!.Value / run.Temperature).ToArray();
        bool[] isFake = scored.Select(s => s.Image.IsFake).ToArray();
        var best = BinaryMetrics.BestThreshold(logits, isFake)!.Value;
        report.AppendLine(CultureInfo.InvariantCulture,
            $"best threshold on {setName}: P(fake) > {best.Threshold:G6} gives ACC {MetricsTable.Percent(best.Accuracy)} (at {run.Threshold:G6}: {MetricsTable.Percent(BinaryMetrics.Accuracy(logits, isFake, run.Threshold))})");
        return true;
    }

    private static string ScoresCsv(EvaluationRun run)
    {
        // truth: the image's folder (0_real / 1_fake); probability and predicted: what detect prints for
        // the logit, read from the same DetectionResult at the run's threshold and temperature.
        var decision = run.Decision;
        var sb = new StringBuilder("set,path,truth,logit,probability,predicted,error\n");
        foreach (var s in run.Scores)
        {
            string logit = s.Logit?.ToString("R", CultureInfo.InvariantCulture) ?? "";
            var result = s.Logit is { } value ? new DetectionResult(value, null, decision) : (DetectionResult?)null;
            string probability = result?.Probability.ToString("R", CultureInfo.InvariantCulture) ?? "";
            string predicted = result is { } r ? DetectCommand.Label(r.Label) : "";
            sb.AppendLine($"{MetricsTable.CsvField(s.Set)},{MetricsTable.CsvField(s.Image.Path)},{(s.Image.IsFake ? "fake" : "real")},{logit},{probability},{predicted},{MetricsTable.CsvField(s.Error ?? "")}");
        }
        return sb.ToString();
    }
}
