using System.CommandLine;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>train-ladeda --out DIR [--rf 9] [--crop 224] ...</c>: LaDeDa from image labels (BCE on the
/// mean patch logit), the paper's schedule, checkpoints, metrics, curves, export (F16 with --f16).
/// </summary>
internal static class TrainLaDeDaCommand
{
    public const string Name = "train-ladeda";

    public static Command Create()
    {
        var common = new TrainingCommandOptions();
        var rf = new Option<int>("--receptive-field", "--rf") { Description = "Receptive field: 5, 9, 17 or 33.", DefaultValueFactory = _ => LaDeDaSpec.DefaultReceptiveField };
        var preprocess = new Option<string>("--preprocess") { Description = "Preprocessing (LaDeDa uses npr).", DefaultValueFactory = _ => "npr" };
        var f16 = new Option<bool>("--f16") { Description = "Export the learnable tensors as float16 (BatchNorm statistics stay float32)." };
        var command = new Command(Name, "Train LaDeDa (the teacher) from image labels.") { rf, preprocess, f16 };
        common.AddTo(command);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            if (!LaDeDaSpec.ReceptiveFields.Contains(parse.GetValue(rf))) throw new ArgumentException($"--receptive-field {parse.GetValue(rf)}: expected one of {string.Join(", ", LaDeDaSpec.ReceptiveFields)}");
            var kind = ParsePreprocess(parse.GetValue(preprocess)!);
            var options = common.Read(parse, defaultBatchSize: 32, float16: parse.GetValue(f16));
            var (train, validation) = common.LoadData(parse, Console.Out);
            TrainingSeeds.SeedInitialWeights(options.Seed);
            using var net = ResNetInitialization.Apply(new LaDeDaNet(parse.GetValue(rf), kind));
            var init = common.ApplyInit(parse, net);
            Console.WriteLine($"{net.DisplayName} ({net.Preprocess.ToName()}), {net.ParameterCount():N0} parameters; crop {options.Crop}, batch {options.BatchSize}, augmentation {options.Augmentation}");
            using var trainer = new ClassifierTrainer(Name, net, ImageLossKind.PooledBce, options, train, validation, Console.Out);
            trainer.Run(CommandLine.Metadata(parse, init));
            return 0;
        }));
        return command;
    }

    public static PreprocessKind ParsePreprocess(string name) =>
        PreprocessKindNames.TryParse(name, out var kind) ? kind
            : throw new ArgumentException($"--preprocess '{name}': expected one of {string.Join(", ", PreprocessKindNames.All)}");
}
