using System.CommandLine;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Cli.Commands;

/// <summary><c>fastladeda info</c>: which engine this machine runs, and why.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the instruction sets the runtime accelerates and the engines it picks (Tiny-LaDeDa and LaDeDa).");
        command.SetAction(_ =>
        {
            Console.WriteLine($"runtime        .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine($"cores          {Environment.ProcessorCount}");
            Console.WriteLine($"vector512      {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}");
            Console.WriteLine($"vector256      {(Vector256.IsHardwareAccelerated ? "accelerated" : "not accelerated")}");
            Console.WriteLine($"vector128      {(Vector128.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, fused multiply-add {(Fma.IsSupported || AdvSimd.Arm64.IsSupported ? "yes" : "no")}");
            foreach (var engine in TinyLaDeDaEngines.Fused)
                Console.WriteLine($"engine         {engine.Name,-16} {(engine.IsSupported ? "supported" : "not supported")}");
            Console.WriteLine($"picked         {TinyLaDeDaEngines.Best.Name}");
            Console.WriteLine($"jpeg decoder   {ImageDecoder.JpegDecoderDescription}");
            foreach (var engine in LaDeDaEngines.Cpu)
                Console.WriteLine($"ladeda engine  {engine.Name,-20} {(engine.IsSupported ? "supported" : "not supported")}");
            Console.WriteLine($"ladeda picked  {LaDeDaEngines.Best.Name} ({Engines.Cpu.LaDeDa.LaDeDaCpuEngine.Best.MaxThreads} threads per image; auto prefers CUDA: {CudaStatus()})");
            Console.WriteLine($"engine names   {string.Join(", ", Detection.Detector.EngineNames)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Whether <c>auto</c> would run LaDeDa on CUDA here, and if not why.</summary>
    private static string CudaStatus() => CudaBackendLocator.Backend is not { } cuda ? CudaBackendLocator.WhyMissing
        : cuda.IsAvailable ? $"yes, {cuda.Description}" : $"no, {cuda.Description}";
}
