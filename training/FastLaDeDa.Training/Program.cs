using System.CommandLine;
using FastLaDeDa.Training.Commands;

// The training project's command line. Launch it through training/run.sh, which sets the glibc
// malloc thresholds TorchSharp needs to run at full speed (training/README.md).
var root = new RootCommand("FastLaDeDa.Training: TorchSharp reference models, weight conversion and training")
{
    NativeCheckCommand.Create(),
    SummaryCommand.Create(),
    ConvertCommand.Create(),
    TrainLaDeDaCommand.Create(),
    TrainTinyCommand.Create(),
    DistillCommand.Create(),
    EvaluateCommand.Create(),
    BenchmarkCommand.Create(),
};
return root.Parse(args).Invoke();
