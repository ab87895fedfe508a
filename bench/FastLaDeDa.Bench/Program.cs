using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*' --job short (a few minutes)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- report [--short]  (Table 6 side by side; use bench/report.sh)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- files [--shared DIR] [--out FILE] [--short]  (file -> score vs Pillow; use bench/files.sh)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- ladeda-layers [size] [rounds]   (LaDeDa per-layer report)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- tiny-quick [runs]   (Stopwatch medians of the fused Tiny engines, seconds)
if (args.Length > 0 && args[0] == "report") return FastLaDeDa.Bench.Report.Table6Report.Run(args[1..]);
if (args.Length > 0 && args[0] == "files") return FastLaDeDa.Bench.Files.FilesReport.Run(args[1..]);
if (args.Length > 0 && args[0] == "tiny-quick") { FastLaDeDa.Bench.TinyLaDeDaQuickLatency.Run(args[1..]); return 0; }
if (args.Length > 0 && args[0] == "ladeda-layers") { FastLaDeDa.Bench.LaDeDaLayerReport.Run(args[1..]); return 0; }
BenchmarkSwitcher.FromAssembly(typeof(FastLaDeDa.Bench.BenchInputs).Assembly).Run(args);
return 0;
