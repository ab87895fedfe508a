using System.CommandLine;

namespace FastLaDeDa.Training.Commands;

/// <summary>The command tree (also used by <c>all</c> to run the other commands in-process).</summary>
internal static class TrainingCli
{
    public static RootCommand Create() => new("FastLaDeDa.Training: TorchSharp reference models, weight conversion and training")
    {
        NativeCheckCommand.Create(),
        SummaryCommand.Create(),
        ConvertCommand.Create(),
        TrainLaDeDaCommand.Create(),
        TrainTinyCommand.Create(),
        DistillCommand.Create(),
        EvaluateCommand.Create(),
        BenchmarkCommand.Create(),
        AllCommand.Create(),
        StageExtraCommand.Create(),
    };
}
