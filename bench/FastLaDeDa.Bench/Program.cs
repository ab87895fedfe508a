using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*' --job short (a few minutes)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- ladeda-layers [size] [rounds]   (LaDeDa per-layer report)
if (args.Length > 0 && args[0] == "ladeda-layers") FastLaDeDa.Bench.LaDeDaLayerReport.Run(args[1..]);
else BenchmarkSwitcher.FromAssembly(typeof(FastLaDeDa.Bench.BenchInputs).Assembly).Run(args);
