using System.CommandLine;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda import X.pth --model tiny --preprocess right_diag -o X.safetensors</c>: converts an
/// official PyTorch checkpoint (without running Python or any code from its pickle) into a
/// safetensors file that also records the model, preprocessing and pooling.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("checkpoint") { Description = "An official PyTorch .pth checkpoint (torch.save of a state dict)." };
        var model = new Option<string>("--model") { Description = "Architecture: tiny (Tiny-LaDeDa).", DefaultValueFactory = _ => "tiny", HelpName = "tiny" };
        var preprocess = CommonOptions.Preprocess("Preprocessing the checkpoint was trained with (required).");
        preprocess.Required = true;
        var pool = CommonOptions.Pool("Default pooling recorded in the output (default mean).");
        var output = new Option<string>("--output", "-o") { Description = "The .safetensors file to write.", Required = true, HelpName = "file" };

        var command = new Command("import", "Convert an official PyTorch .pth checkpoint to safetensors.") { input, model, preprocess, pool, output };
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(model)!, parse.GetValue(preprocess)!.Value,
                                       parse.GetValue(pool) ?? PoolingKind.Mean, parse.GetValue(output)!));
        return command;
    }

    private static int Run(string inputPath, string modelName, PreprocessKind preprocess, PoolingKind pooling, string outputPath)
    {
        if (!ModelMetadata.TryParseModel(modelName, out var kind) || kind != ModelKind.TinyLaDeDa)
        {
            Console.Error.WriteLine($"error: --model '{modelName}' is not supported by import; use tiny");
            return ExitCodes.Fatal;
        }
        string? current = inputPath;
        try
        {
            StateDict dict = PthCheckpoint.Read(inputPath);
            TinyLaDeDaModel.FromStateDict(dict); // validates names, shapes and values before anything is written
            var metadata = new ModelMetadata(kind, preprocess, pooling).ToDictionary();
            metadata["source"] = Path.GetFileName(inputPath);
            metadata["converted_by"] = "fastladeda import";
            current = outputPath;
            SafeTensors.Write(outputPath, new StateDict(dict.Tensors, metadata));
            Console.WriteLine($"wrote {outputPath}: {dict.Tensors.Count} tensors, model {ModelMetadata.ModelName(kind)}, preprocess {preprocess.ToName()}, pooling {ModelMetadata.PoolingName(pooling)}");
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            ErrorReporter.Print(ex, current);
            return ErrorReporter.FatalExitCode(ex);
        }
    }
}
