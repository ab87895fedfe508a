using System.CommandLine;
using FastLaDeDa.Training.Data;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>stage-extra [--manifest FILE] --mirrors DIR --out DIR [--sources a,b]</c>: stages
/// <c>extra_manifest.csv</c> (../shared/data/EXTRA.md) from git mirrors into OUT's <c>0_real/</c> and
/// <c>1_fake/</c> as verified (SHA-1), decoded, 256×256 PNGs; prints the skipped files and a table per source.
/// </summary>
internal static class StageExtraCommand
{
    public static Command Create()
    {
        var manifest = new Option<string?>("--manifest") { Description = "The manifest (default: extra_manifest.csv in the shared data folder).", HelpName = "file" };
        var mirrors = new Option<string>("--mirrors") { Description = "Folder of git mirrors: OWNER+NAME/repo, OWNER+NAME, OWNER/NAME.git or OWNER/NAME.", Required = true, HelpName = "dir" };
        var output = new Option<string>("--out") { Description = "Output folder (absent, empty, or made by stage-extra: then replaced).", Required = true, HelpName = "dir" };
        var sources = new Option<string?>("--sources") { Description = "Stage only these sources (comma-separated).", HelpName = "list" };
        var command = new Command("stage-extra", "Stage the extra training images of EXTRA.md from git mirrors: SHA-1 checked, decoded, 256x256 PNG.") { manifest, mirrors, output, sources };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string manifestPath = parse.GetValue(manifest) ?? Path.Combine(SharedDataLocator.DefaultDataRoot(), "extra_manifest.csv");
            var rows = ExtraManifest.Load(manifestPath);
            IReadOnlySet<string>? selected = parse.GetValue(sources) is { } list ? TrainingCommandOptions.SourceList(list, "--sources") : null;
            using var set = new GitMirrorSet(parse.GetValue(mirrors)!);
            var result = ExtraStager.Stage(rows, set, parse.GetValue(output)!, selected);
            foreach (var row in result.Skipped)
                Console.WriteLine($"skipped ({row.Format}: the decoder does not read it): {row.Source} {row.Label} {row.Location}");
            PrintSummary(result);
            return 0;
        }));
        return command;
    }

    private static void PrintSummary(ExtraStagingResult result)
    {
        var sources = result.Staged.Select(s => s.Row).Concat(result.Skipped).Select(r => r.Source).Distinct().ToList();
        Console.WriteLine();
        Console.WriteLine("| source | real | fake | skipped |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (string source in sources)
        {
            var staged = result.Staged.Where(s => s.Row.Source == source).ToList();
            Console.WriteLine($"| {source} | {staged.Count(s => !s.Row.IsFake)} | {staged.Count(s => s.Row.IsFake)} | {result.Skipped.Count(r => r.Source == source)} |");
        }
        Console.WriteLine($"| **total** | {result.Staged.Count(s => !s.Row.IsFake)} | {result.Staged.Count(s => s.Row.IsFake)} | {result.Skipped.Count} |");
        Console.WriteLine();
        Console.WriteLine($"{result.Staged.Count} images staged into {result.OutputFolder} ({ExtraStager.StagedCsvName} lists them), " +
                          $"{result.Skipped.Count} skipped by format, in {result.Seconds:F1} s");
    }
}
