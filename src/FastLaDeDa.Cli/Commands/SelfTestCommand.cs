using System.CommandLine;
using FastLaDeDa.Engines;

namespace FastLaDeDa.Cli.Commands;

/// <summary><c>fastladeda selftest</c>: checks the engine against the float64 reference on this machine.</summary>
internal static class SelfTestCommand
{
    public static Command Create()
    {
        var engineOption = CommonOptions.Engine();
        var command = new Command("selftest", "Check the Tiny-LaDeDa engine against the float64 reference on random models and images (every width remainder, every preprocessing).") { engineOption };
        command.SetAction(parse =>
        {
            var engine = EngineCatalog.ForTiny(parse.GetValue(engineOption) ?? EngineCatalog.Auto, weightsPath: null);
            var report = TinyLaDeDaSelfCheck.Run(engine);
            Console.WriteLine($"{report.EngineName}: {report.Cases} cases, worst relative map error {report.WorstRelativeError:E2} (tolerance {TinyLaDeDaSelfCheckReport.Tolerance:E0}) {(report.Passed ? "PASS" : "FAIL")}");
            return report.Passed ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
        });
        return command;
    }
}
