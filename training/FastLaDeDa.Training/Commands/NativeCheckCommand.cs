using System.CommandLine;
using FastLaDeDa.Training.Native;
using TorchSharp;

namespace FastLaDeDa.Training.Commands;

/// <summary><c>native-check</c>: loads TorchSharp's native libraries, runs one operation and says which library file was loaded.</summary>
internal static class NativeCheckCommand
{
    public static Command Create()
    {
        var command = new Command("native-check", "Run a TorchSharp operation and report which native LibTorchSharp was loaded.");
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        try
        {
            float sum = TorchRuntime.Smoke();
            Console.WriteLine($"torch.ones(2, 3).sum() = {sum}  (TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, {torch.get_num_threads()} threads)");
            foreach (string path in TorchRuntime.LoadedLibraries())
                Console.WriteLine($"loaded {path}");
            if (OneDnnCacheGuard.Note is { } note) Console.WriteLine($"note: {note}");
            return 0;
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: TorchSharp's native libraries did not load: {(ex.InnerException ?? ex).Message.Split('\n')[0]}");
            return 2;
        }
    }
}
