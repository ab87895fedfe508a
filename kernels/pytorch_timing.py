"""PyTorch's time for the same LaDeDa9 network on the same GPU (fp32), for comparison with the
ILGPU engine's timing table. Random weights; eval mode; no_grad; cudnn.benchmark; timed with CUDA
events after warm-up, median of repeats. Two settings: strict fp32 (TF32 off, what the ILGPU
kernels compute) and PyTorch's default for convolutions (cuDNN may use TF32 tensor cores).
    python3 kernels/pytorch_timing.py [size=256] [batch=32]
"""
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    def __init__(self, inp, width, stride, k, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, k, stride=stride, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, width * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(width * 4)
        self.downsample = nn.Sequential(nn.Conv2d(inp, width * 4, 1, stride=stride, bias=False),
                                        nn.BatchNorm2d(width * 4)) if downsample else None

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        res = self.downsample(x) if self.downsample is not None else x
        return F.relu(out + res[:, :, :out.shape[2], :out.shape[3]])  # residual cropped bottom/right


class LaDeDa9(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 1, bias=False)
        self.conv2 = nn.Conv2d(64, 64, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks, inp = [], 64
        for layer, (n, width, stride) in enumerate([(3, 64, 2), (4, 128, 2), (6, 256, 2), (3, 512, 1)], start=1):
            for b in range(n):
                k = 3 if b == 0 and layer <= 2 else 1
                blocks.append(Bottleneck(inp, width, stride if b == 0 else 1, k, b == 0))
                inp = width * 4
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Conv2d(2048, 1, 1)  # fc 2048→1 at every position

    def forward(self, x):
        x = F.relu(self.bn1(self.conv2(self.conv1(x))))
        return self.fc(self.blocks(x))


def median_ms(model, x, reps):
    for _ in range(3):
        model(x)
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        model(x)
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    torch.manual_seed(0)
    model = LaDeDa9().cuda().eval()
    torch.backends.cudnn.benchmark = True
    print(f"PyTorch {torch.__version__} on {torch.cuda.get_device_name()}; LaDeDa9 {size}x{size}, fp32 weights, random")
    print("| PyTorch setting | batch 1 ms/image | batch %d ms/batch | batch %d images/s |" % (batch, batch))
    print("|---|---:|---:|---:|")
    with torch.no_grad():
        for name, tf32 in (("fp32, TF32 off (strict)", False), ("default (cuDNN TF32 allowed)", True)):
            torch.backends.cudnn.allow_tf32 = tf32
            torch.backends.cuda.matmul.allow_tf32 = tf32
            one = median_ms(model, torch.randn(1, 3, size, size, device="cuda"), 50)
            many = median_ms(model, torch.randn(batch, 3, size, size, device="cuda"), 10)
            print(f"| {name} | {one:.2f} | {many:.2f} | {batch * 1000 / many:.1f} |")


if __name__ == "__main__":
    main()
