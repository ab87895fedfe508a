using System.CommandLine;
using System.CommandLine.Help;
using FastLaDeDa.Cli.Commands;

namespace FastLaDeDa.Cli;

/// <summary>
/// The <c>fastladeda</c> command tree and the one way to run it: help and <c>--version</c> as
/// System.CommandLine prints them, every parse error as one line <c>error: …</c> on stderr with exit
/// code 2 (never the help text), then the command's own action.
/// </summary>
internal static class CliApp
{
    /// <summary>The program's name in help and errors (the assembly is FastLaDeDa.Cli; the command is this).</summary>
    public const string Name = "fastladeda";

    /// <summary>
    /// The root command. A plain <see cref="Command"/> named <see cref="Name"/>, not a
    /// <see cref="RootCommand"/>, whose name is always the executable's (FastLaDeDa.Cli under
    /// <c>dotnet FastLaDeDa.Cli.dll</c>); it gets the help and version options a RootCommand adds.
    /// </summary>
    public static Command CreateRoot()
    {
        var root = new Command(Name, "fastladeda: real-time deepfake detection with (Tiny-)LaDeDa")
        {
            DetectCommand.Create(),
            HeatmapCommand.Create(),
            ImportCommand.Create(),
            ExportCommand.Create(),
            EvalCommand.Create(),
            CalibrateCommand.Create(),
            JpegSweepCommand.Create(),
            InfoCommand.Create(),
            SelfTestCommand.Create(),
            ServeCommand.Create(),
        };
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        // No command: the overview, as --help prints it.
        root.SetAction(parse => new HelpAction().Invoke(parse));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; the process exit code.</summary>
    public static int Run(string[] args)
    {
        ParseResult parse;
        try
        {
            parse = CreateRoot().Parse(args);
        }
        catch (Exception ex) // a validator's bug: still one line, and the internal-error code
        {
            ErrorReporter.Print(ex, null);
            return ExitCodes.InternalError;
        }
        if (parse.Action is HelpAction) return parse.Invoke();
        if (CliErrors.FirstError(parse) is string error)
        {
            Console.Error.WriteLine("error: " + error);
            return ExitCodes.Fatal;
        }
        // A command that throws (rather than reporting its own errors) still ends in one line:
        // the library's typed errors exit 2, anything else is a bug (exit 3; FASTLADEDA_DEBUG=1 for the trace).
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            ErrorReporter.Print(ex, null);
            return ErrorReporter.FatalExitCode(ex);
        }
    }
}
