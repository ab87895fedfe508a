using System.CommandLine;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Evaluation;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>evaluate ROOT --weights W [--model ladeda] [--preprocess K]</c>: scores every set under ROOT
/// (WildRF layout) with the TorchSharp model — decode, Pillow BILINEAR resize to 256×256, the whole
/// image, the file's pooling (mean when it names none), exactly the inference protocol — and prints
/// the Markdown table of <c>fastladeda eval --markdown</c>: an independent cross-check of the
/// inference engines, which <c>fastladeda eval</c> runs (and which the model card's numbers come from).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Folder whose sets (folders with 0_real/1_fake) are scored." };
        var weights = new Option<string>("--weights") { Description = "Weights (.safetensors or official .pth).", Required = true, HelpName = "file" };
        var model = new Option<string?>("--model") { Description = "tiny or ladeda (default: the file's metadata, else recognised from the tensor names).", HelpName = "tiny|ladeda" };
        var preprocess = new Option<string?>("--preprocess") { Description = "Override the preprocessing (needed for .pth files).", HelpName = "kind" };
        var size = new Option<int>("--size") { Description = "Input side the images are resized to.", DefaultValueFactory = _ => ImageTensors.InputSize };
        var command = new Command("evaluate", "Score test sets with the TorchSharp model (a cross-check of fastladeda eval); prints a Markdown table.") { root, weights, model, preprocess, size };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            StateDict dict = WeightsFile.Load(parse.GetValue(weights)!);
            // The architecture and pooling the way the library's Detector resolves them.
            var (fileModel, _, filePooling) = ModelMetadata.Parse(dict.Metadata, dict.SourcePath);
            ModelKind kind = ModelMetadata.KindOf(dict, fileModel);
            PoolingKind pooling = filePooling ?? PoolingKind.Mean;
            if (parse.GetValue(model) is { } name && !ModelMetadata.TryParseModel(name, out kind)) throw new ArgumentException($"--model '{name}': expected tiny or ladeda");
            using PatchLogitNet net = kind == ModelKind.LaDeDa ? TorchStateDict.LoadLaDeDa(dict) : TorchStateDict.LoadTiny(dict);
            if (parse.GetValue(preprocess) is { } p) net.Preprocess = TrainLaDeDaCommand.ParsePreprocess(p);
            Console.Error.WriteLine($"{net.DisplayName} ({net.Preprocess.ToName()}, {ModelMetadata.PoolingName(pooling)} pooling) from {parse.GetValue(weights)}");
            var results = new List<SetMetrics>();
            foreach (var set in DatasetWalker.FindSets(parse.GetValue(root)!))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var data = ImageDataset.FromFiles(set.Name, set.Images, parse.GetValue(size));
                var scored = Validator.Run(net, data, parse.GetValue(size), batchSize: 8, pooling: pooling, name: set.Name);
                results.Add(scored.Metrics);
                Console.Error.WriteLine($"{set.Name}: {data.Count} images in {clock.Elapsed.TotalSeconds:F1} s");
            }
            if (results.Count == 0) throw new ArgumentException($"{parse.GetValue(root)}: no sets (folders holding 0_real/ or 1_fake/)");
            Console.Write(MetricsTable.Render(results, SetMetrics.Mean(results), "markdown"));
            return 0;
        }));
        return command;
    }
}
