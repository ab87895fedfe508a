using FastLaDeDa.Errors;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Commands;

/// <summary>Runs a command body and turns the expected failures (bad data, arguments, weights, checkpoints, I/O) into one <c>error:</c> message and exit code 2.</summary>
internal static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is DatasetException or CheckpointException or FastLaDeDaException or ArgumentException
                                   or IOException or UnauthorizedAccessException)
        {
            Console.Out.Flush();
            Console.Error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }
}
