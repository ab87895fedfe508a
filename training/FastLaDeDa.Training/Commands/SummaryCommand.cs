using System.CommandLine;
using FastLaDeDa.Models;
using FastLaDeDa.Training.Models;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Commands;

/// <summary><c>summary</c>: parameter count, state-dict size and patch-map size of a model, checked by running it once.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "tiny or ladeda.", DefaultValueFactory = _ => "ladeda", HelpName = "tiny|ladeda" };
        var rf = new Option<int>("--receptive-field", "--rf") { Description = "LaDeDa's receptive field: 5, 9, 17 or 33.", DefaultValueFactory = _ => LaDeDaSpec.DefaultReceptiveField };
        var size = new Option<int>("--size") { Description = "Input size for the map (square).", DefaultValueFactory = _ => 256 };
        var command = new Command("summary", "Print a model's parameter count and patch-map size (runs one forward pass on zeros).") { model, rf, size };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(rf), parse.GetValue(size)));
        return command;
    }

    private static int Run(string modelName, int receptiveField, int size)
    {
        if (!ModelMetadata.TryParseModel(modelName, out var kind))
        {
            Console.Error.WriteLine($"error: --model '{modelName}': expected tiny or ladeda");
            return 2;
        }
        if (kind == ModelKind.LaDeDa && !LaDeDaSpec.ReceptiveFields.Contains(receptiveField))
        {
            Console.Error.WriteLine($"error: --receptive-field {receptiveField}: expected one of {string.Join(", ", LaDeDaSpec.ReceptiveFields)}");
            return 2;
        }
        using var scope = NewDisposeScope();
        using PatchLogitNet net = kind == ModelKind.TinyLaDeDa ? new TinyLaDeDaNet() : new LaDeDaNet(receptiveField);
        net.eval();
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (no_grad())
        {
            Tensor map = net.forward(zeros(1, 3, size, size));
            Console.WriteLine($"{net.DisplayName}: {net.ParameterCount():N0} learnable parameters, {net.state_dict().Count} state-dict tensors, " +
                              $"receptive field {net.ReceptiveField}, stride {net.Stride}; {size}x{size} -> {map.shape[3]}x{map.shape[2]} patch logits " +
                              $"(expected {net.MapSize(size)}), forward {started.ElapsedMilliseconds} ms");
        }
        return 0;
    }
}
