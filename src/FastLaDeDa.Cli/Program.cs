using System.CommandLine;
using FastLaDeDa.Cli.Commands;

var root = new RootCommand("fastladeda: real-time deepfake detection with (Tiny-)LaDeDa")
{
    DetectCommand.Create(),
    HeatmapCommand.Create(),
    ImportCommand.Create(),
    ExportCommand.Create(),
    EvalCommand.Create(),
    JpegSweepCommand.Create(),
    InfoCommand.Create(),
    SelfTestCommand.Create(),
};
return root.Parse(args).Invoke();
