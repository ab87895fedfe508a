using System.CommandLine;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>convert IN -o OUT --model tiny|ladeda --preprocess KIND [--f16]</c>: loads weights (safetensors or
/// an official .pth) into the TorchSharp model and exports them as safetensors with metadata.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("weights") { Description = "A .safetensors file or an official PyTorch .pth checkpoint." };
        var model = new Option<string>("--model") { Description = "tiny or ladeda.", Required = true, HelpName = "tiny|ladeda" };
        var preprocess = new Option<string?>("--preprocess") { Description = "Preprocessing to record (default: the file's own, else right_diag for tiny, npr for ladeda).", HelpName = "kind" };
        var pool = new Option<string>("--pool") { Description = "Default pooling to record: mean or max.", DefaultValueFactory = _ => "mean" };
        var f16 = new Option<bool>("--f16") { Description = "Store learnable tensors as float16 (BatchNorm statistics stay float32)." };
        var output = new Option<string>("--output", "-o") { Description = "The .safetensors file to write.", Required = true, HelpName = "file" };
        var command = new Command("convert", "Load weights into the TorchSharp model and export them as safetensors.") { input, model, preprocess, pool, f16, output };
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(model)!, parse.GetValue(preprocess), parse.GetValue(pool)!, parse.GetValue(f16), parse.GetValue(output)!));
        return command;
    }

    private static int Run(string inputPath, string modelName, string? preprocessName, string poolName, bool f16, string outputPath)
    {
        if (!ModelMetadata.TryParseModel(modelName, out var kind)) return Fail($"--model '{modelName}': expected tiny or ladeda");
        PreprocessKind? preprocess = null;
        if (preprocessName is not null)
            preprocess = PreprocessKindNames.TryParse(preprocessName, out var p) ? p : null;
        if (preprocessName is not null && preprocess is null) return Fail($"--preprocess '{preprocessName}': expected one of {string.Join(", ", PreprocessKindNames.All)}");
        if (!ModelMetadata.TryParsePooling(poolName, out var pooling)) return Fail($"--pool '{poolName}': expected mean or max");
        try
        {
            StateDict dict = WeightsFile.Load(inputPath);
            using PatchLogitNet net = kind == ModelKind.TinyLaDeDa
                ? TorchStateDict.LoadTiny(dict, preprocess ?? PreprocessKind.RightDiag)
                : TorchStateDict.LoadLaDeDa(dict, preprocess ?? PreprocessKind.Npr);
            if (preprocess is { } explicitKind) net.Preprocess = explicitKind;
            TorchStateDict.Save(net, outputPath, pooling, f16, [new("source", Path.GetFileName(inputPath)), new("converted_by", "FastLaDeDa.Training convert")]);
            Console.WriteLine($"wrote {outputPath}: {net.DisplayName}, preprocess {net.Preprocess.ToName()}, pooling {ModelMetadata.PoolingName(pooling)}, {(f16 ? "F16" : "F32")}");
            return 0;
        }
        catch (Exception ex) when (ex is FastLaDeDaException or IOException or UnauthorizedAccessException)
        {
            return Fail(ex.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 2;
    }
}
