using FastLaDeDa.Training.Commands;

// The training project's command line. Launch it through training/run.sh, which sets the glibc
// malloc thresholds TorchSharp needs to run at full speed (training/README.md).
return TrainingCli.Create().Parse(args).Invoke();
