using System.CommandLine;
using FastLaDeDa.Detection;
using FastLaDeDa.Interop.Onnx;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda export -o out.onnx [--weights W] [--size 256]</c>: the network as an ONNX
/// model (opset 17) that general engines run on the same weights. Input: the normalized image.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "The ONNX file to write.", HelpName = "file" };
        // The option's first name, kept working (hidden) for scripts that use it.
        var onnx = new Option<string?>("--onnx") { Description = "Same as --output.", HelpName = "file", Hidden = true };
        var weights = new Option<string?>("--weights", "-w") { Description = "Weights: .safetensors or an official .pth (default: the embedded weights).", HelpName = "file" };
        var preprocess = CommonOptions.Preprocess("Override the weights' preprocessing (needed for official .pth files).");
        var size = new Option<int>("--size") { Description = "Square input size the model is exported for (default 256).", DefaultValueFactory = _ => 256, HelpName = "pixels" };
        var command = new Command("export", "Write the network as an ONNX model (input: the ImageNet-normalized image [1,3,S,S]; outputs patch_logits, mean_logit, max_logit).")
        {
            output, onnx, weights, preprocess, size,
        };
        command.Validators.Add(result =>
        {
            bool hasOutput = result.GetResult(output) is not null, hasOnnx = result.GetResult(onnx) is not null;
            if (!hasOutput && !hasOnnx) result.AddError("export: missing required option --output (-o FILE: the ONNX file to write)");
            else if (hasOutput && hasOnnx) result.AddError("export: give the ONNX file once, with -o (--onnx is its old name)");
        });
        command.SetAction(parse =>
        {
            string outputPath = (parse.GetValue(output) ?? parse.GetValue(onnx))!;
            string? weightsPath = parse.GetValue(weights);
            int side = parse.GetValue(size);
            string? current = weightsPath;
            try
            {
                StateDict dict = weightsPath is null ? DefaultWeights.Read() : WeightsFile.Load(weightsPath);
                var (kind, metaPreprocess, _) = ModelMetadata.Parse(dict.Metadata, dict.SourcePath);
                ModelKind architecture = ModelMetadata.KindOf(dict, kind);
                bool isLaDeDa = architecture == ModelKind.LaDeDa;
                PreprocessKind filter = parse.GetValue(preprocess) ?? metaPreprocess ?? ModelMetadata.DefaultPreprocess(architecture);
                byte[] model;
                if (isLaDeDa)
                {
                    var ladeda = LaDeDaModel.FromStateDict(dict);
                    if (side < ladeda.Spec.ReceptiveField) return TooSmall(side, ladeda.Spec.ReceptiveField);
                    model = OnnxExporter.Export(ladeda, filter, side, side);
                }
                else
                {
                    if (side < TinyLaDeDaModel.ReceptiveField) return TooSmall(side, TinyLaDeDaModel.ReceptiveField);
                    model = OnnxExporter.Export(TinyLaDeDaModel.FromStateDict(dict), filter, side, side);
                }
                current = outputPath;
                File.WriteAllBytes(outputPath, model);
                Console.WriteLine($"wrote {outputPath}: {(isLaDeDa ? "LaDeDa" : "Tiny-LaDeDa")}, {filter.ToName()}, input [1,3,{side},{side}], {model.Length} bytes");
                return ExitCodes.Success;
            }
            catch (Exception ex)
            {
                ErrorReporter.Print(ex, current);
                return ErrorReporter.FatalExitCode(ex);
            }
        });
        return command;
    }

    private static int TooSmall(int size, int receptiveField)
    {
        Console.Error.WriteLine($"error: --size {size} is smaller than the model's {receptiveField}x{receptiveField} receptive field");
        return ExitCodes.Fatal;
    }
}
