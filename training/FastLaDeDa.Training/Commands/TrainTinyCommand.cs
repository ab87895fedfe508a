using System.CommandLine;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>train-tiny --out DIR [--patch-labels] ...</c>: Tiny-LaDeDa trained directly from image labels,
/// without a teacher (the paper's ablations): BCE on the mean patch logit of whole crops, or with
/// <c>--patch-labels</c> the image label on every patch (PatchFor-style).
/// </summary>
internal static class TrainTinyCommand
{
    public const string Name = "train-tiny";

    public static Command Create()
    {
        var common = new TrainingCommandOptions();
        var preprocess = new Option<string>("--preprocess") { Description = "Preprocessing.", DefaultValueFactory = _ => "right_diag" };
        var patchLabels = new Option<bool>("--patch-labels") { Description = "PatchFor-style: BCE of every patch logit against the image label." };
        var command = new Command(Name, "Train Tiny-LaDeDa from image labels, without a teacher.") { preprocess, patchLabels };
        common.AddTo(command);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var kind = TrainLaDeDaCommand.ParsePreprocess(parse.GetValue(preprocess)!);
            var options = common.Read(parse, defaultBatchSize: 32, float16: false);
            var (train, validation) = common.LoadData(parse, Console.Out);
            TrainingSeeds.SeedInitialWeights(options.Seed);
            using var net = ResNetInitialization.Apply(new TinyLaDeDaNet(kind));
            var init = common.ApplyInit(parse, net);
            var loss = parse.GetValue(patchLabels) ? ImageLossKind.PatchBce : ImageLossKind.PooledBce;
            Console.WriteLine($"{net.DisplayName} ({net.Preprocess.ToName()}), loss {loss}; crop {options.Crop}, batch {options.BatchSize}, augmentation {options.Augmentation}");
            using var trainer = new ClassifierTrainer(Name, net, loss, options, train, validation, Console.Out);
            trainer.Run(CommandLine.Metadata(parse, init));
            return 0;
        }));
        return command;
    }
}
