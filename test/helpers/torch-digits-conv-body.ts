/**
 * What PyTorch 1.13 computes with the shipped digits conv body
 * (kernel-lib/weights/digits-conv-body.safetensors), for
 * test/kernel-lib/models/digits-conv-body.test.ts: the script at the end of
 * this file reads the file by the safetensors layout alone (json, struct,
 * numpy: no kernel-lib code), loads it into the same torch.nn layers (renaming
 * runningMean to running_mean, …) and runs three images in evaluation mode.
 * Image n, row i, column j holds ((n·784 + i·28 + j)·37 mod 101) / 100.
 * Regenerate after `npm run pretrain` changes the file:
 *   /usr/bin/python3 <this script> kernel-lib/weights/digits-conv-body.safetensors
 */
export const TORCH_DIGITS_CONV_BODY = {
  sha256: "aae4cfff16ffe242a33127845ca750fd0be5c713e10756e6808d307c04034813",
  /** Per image: the sum of its 1568 features, and of their squares. */
  sums: [3280.5006925933994, 3250.4301693476737, 3256.1594385544304],
  squares: [10028.103047690503, 9907.142520806861, 9910.799877165084],
  /** Per image: its first four features. */
  first: [
    [3.1128764152526855, 3.65030574798584, 3.626260757446289, 3.783247232437134],
    [2.8445026874542236, 3.7743754386901855, 3.715949296951294, 2.762434959411621],
    [2.240285873413086, 3.7176854610443115, 3.6779823303222656, 2.5278208255767822],
  ],
};

/* The script (python3 with torch and numpy, e.g. Debian's python3-torch):
import json, struct, sys, hashlib
import numpy as np, torch
path = sys.argv[1]
raw = open(path, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
meta = header.pop("__metadata__")
data = raw[8 + n:]
def tensor(name):
    info = header[name]
    a, b = info["data_offsets"]
    dt = {"F32": np.float32, "I32": np.int32}[info["dtype"]]
    return torch.from_numpy(np.frombuffer(data[a:b], dtype=dt).reshape(info["shape"]).copy())
nn = torch.nn
body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
rename = {"runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"}
state = {}
for k in header:
    layer, field = k.split(".")
    t = tensor(k)
    if field == "numBatchesTracked": t = t.to(torch.int64).reshape([])
    state[f"{layer}.{rename.get(field, field)}"] = t
body.load_state_dict(state)
body.eval()
x = torch.tensor([((i * 37) % 101) / 100 for i in range(3 * 784)], dtype=torch.float64).reshape(3, 1, 28, 28).float()
with torch.no_grad():
    y = body(x).double()
print(json.dumps({"sha256": hashlib.sha256(raw).hexdigest(), "sums": y.sum(1).tolist(), "squares": (y * y).sum(1).tolist(), "first": y[:, :4].tolist(), "metaKeys": sorted(json.loads(meta["meta"]))}))
*/
