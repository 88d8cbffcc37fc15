/**
 * Reference values for test/kernel-lib/functional/losses.test.ts, computed once with PyTorch 1.13
 * (torch.nn.functional, float64) on the inputs defined in that file:
 * F.cross_entropy, F.nll_loss, F.mse_loss, F.l1_loss, F.huber_loss,
 * F.smooth_l1_loss, F.binary_cross_entropy(_with_logits), for each reduction.
 * Keys: ce = cross_entropy, w = class weights, ls = label smoothing,
 * ign = an ignored target, p = probability targets, pw = pos_weight.
 * The script that printed them (python3 + torch, e.g. Debian's python3-torch)
 * is kept at the end of this file.
 */
export const TORCH = {
  ce_mean: 1.8658939547686149,
  ce_w_mean: 0.6629332044638386,
  ce_ls_mean: 1.888393954768615,
  ce_w_ls_mean: 0.7483607456974397,
  ce_ign_mean: 2.5722985093996598,
  ce_w_ls_ign_mean: 1.7846101976672326,
  ce_p_mean: 1.279227288101948,
  ce_p_w_ls_mean: 1.8085665878312887,
  nll_w_ign_mean: 1.187554101857124,
  ce_sum: 5.597681864305844,
  ce_w_sum: 2.784319458748122,
  ce_ls_sum: 5.665181864305845,
  ce_w_ls_sum: 3.143115131929247,
  ce_ign_sum: 5.1445970187993195,
  ce_w_ls_ign_sum: 2.1415322372006793,
  ce_p_sum: 3.837681864305844,
  ce_p_w_ls_sum: 5.425699763493866,
  nll_w_ign_sum: 1.4250649222285487,
  ce_none: [0.49518189808585605, 0.45308484550652445, 4.6494151207134635],
  ce_w_none: [0.49518189808585605, 1.3592545365195734, 0.9298830241426927],
  ce_ls_none: [0.6326818980858561, 0.5880848455065245, 4.444415120713464],
  ce_w_ls_none: [0.6588475813023585, 1.3598165522146326, 1.1244509984122555],
  ce_ign_none: [0.49518189808585605, 0.0, 4.6494151207134635],
  ce_w_ls_ign_none: [0.8225132645188611, 0.0, 1.319018972681818],
  ce_p_none: [1.1951818980858562, 1.8030848455065247, 0.8394151207134634],
  ce_p_w_ls_none: [1.7421767825372216, 1.3648746934701665, 2.3186482874864787],
  nll_w_ign_none: [0.49518189808585605, 0.0, 0.9298830241426927],
  ce_ignore_index_1: 2.551249983109994,
  ce_single_none: 0.45308484550652445,
  ce_single_p: 2.1930848455065246,
  ce_w_ls_grad: [[0.05312653687239158, -0.07258914565312918, 0.015087790909498062, 0.004374817871239525], [0.0625892823093181, 0.03273199804681172, -0.23428955283059694, 0.1389682724744671], [-0.04336994266788319, -0.0029152461280924783, -0.01174110438177907, 0.058026293177754755]],
  mse_mean: 1.0833333333333333,
  l1_mean: 0.7666666666666666,
  huber_mean: 0.445,
  huber05_mean: 0.2866666666666667,
  sl1_05_mean: 0.5733333333333334,
  mse_sum: 6.5,
  l1_sum: 4.6,
  huber_sum: 2.67,
  huber05_sum: 1.72,
  sl1_05_sum: 3.44,
  mse_none: [[0.25, 0.03999999999999998, 4.0], [0.25, 0.0, 1.9599999999999997]],
  l1_none: [[0.5, 0.19999999999999996, 2.0], [0.5, 0.0, 1.4]],
  huber_none: [[0.125, 0.01999999999999999, 1.5], [0.125, 0.0, 0.8999999999999999]],
  huber05_none: [[0.125, 0.01999999999999999, 0.875], [0.125, 0.0, 0.575]],
  sl1_05_none: [[0.25, 0.03999999999999998, 1.75], [0.25, 0.0, 1.15]],
  sl1_0_mean: 0.7666666666666666,
  bcel_mean: 0.5017260765572528,
  bcel_pw_mean: 0.5910631113564955,
  bcel_pw_w_mean: 0.599339645427311,
  bce_mean: 0.5017260765572528,
  bce_w_mean: 0.6113202369875511,
  bcel_sum: 3.010356459343517,
  bcel_pw_sum: 3.546378668138973,
  bcel_pw_w_sum: 3.596037872563866,
  bce_sum: 3.0103564593435164,
  bce_w_sum: 3.667921421925307,
  bcel_none: [[0.1269280110429726, 0.4740769841801067, 0.048587351573741965], [1.1132616875182229, 0.554355244468527, 0.6931471805599453]],
  bcel_pw_none: [[0.1269280110429727, 0.23703849209005334, 0.09717470314748393], [1.1445878562700451, 0.5543552444685269, 1.3862943611198906]],
  bcel_pw_w_none: [[0.1269280110429727, 0.4740769841801067, 0.048587351573741965], [1.1445878562700451, 1.1087104889370538, 0.6931471805599453]],
  bce_none: [[0.12692801104297252, 0.47407698418010663, 0.04858735157374191], [1.1132616875182229, 0.5543552444685272, 0.6931471805599453]],
  bce_w_none: [[0.12692801104297252, 0.9481539683602133, 0.024293675786870954], [1.1132616875182229, 1.1087104889370545, 0.34657359027997264]],
  bce_edges_none: [100.0, 100.0, 0.6931471805599453, 0.0, -0.0],
  bcel_extreme_none: [1000.0, 1000.0, 0.0, 0.0],
};

/*
import torch, json
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
out = {}
def r(name, t): out[name] = t.tolist()
logits = torch.tensor([[1.0, 2.0, 0.5, -1.0], [0.3, -0.2, 2.2, 1.1], [-1.5, 0.0, 0.7, 3.0]])
target = torch.tensor([1, 2, 0])
w = torch.tensor([0.2, 1.0, 3.0, 0.5])
P = torch.tensor([[0.1,0.6,0.2,0.1],[0.25,0.25,0.25,0.25],[0.0,0.0,0.3,0.7]])
ign = torch.tensor([1, -100, 0])
for red in ["mean","sum","none"]:
    r(f"ce_{red}", F.cross_entropy(logits, target, reduction=red))
    r(f"ce_w_{red}", F.cross_entropy(logits, target, weight=w, reduction=red))
    r(f"ce_ls_{red}", F.cross_entropy(logits, target, label_smoothing=0.1, reduction=red))
    r(f"ce_w_ls_{red}", F.cross_entropy(logits, target, weight=w, label_smoothing=0.1, reduction=red))
    r(f"ce_ign_{red}", F.cross_entropy(logits, ign, reduction=red))
    r(f"ce_w_ls_ign_{red}", F.cross_entropy(logits, ign, weight=w, label_smoothing=0.2, reduction=red))
    r(f"ce_p_{red}", F.cross_entropy(logits, P, reduction=red))
    r(f"ce_p_w_ls_{red}", F.cross_entropy(logits, P, weight=w, label_smoothing=0.1, reduction=red))
    r(f"nll_w_ign_{red}", F.nll_loss(F.log_softmax(logits, 1), ign, weight=w, reduction=red))
r("ce_ignore_index_1", F.cross_entropy(logits, target, ignore_index=1))
r("ce_single_none", F.cross_entropy(logits[1], torch.tensor(2), reduction="none"))
r("ce_single_p", F.cross_entropy(logits[1], P[0]))
# grads of ce with weight+smoothing
x = logits.clone().requires_grad_()
F.cross_entropy(x, target, weight=w, label_smoothing=0.1).backward()
r("ce_w_ls_grad", x.grad)
x = torch.tensor([[0.5, -1.2, 3.0], [2.0, 0.1, -0.4]]); y = torch.tensor([[0.0, -1.0, 1.0], [2.5, 0.1, 1.0]])
for red in ["mean","sum","none"]:
    r(f"mse_{red}", F.mse_loss(x, y, reduction=red))
    r(f"l1_{red}", F.l1_loss(x, y, reduction=red))
    r(f"huber_{red}", F.huber_loss(x, y, reduction=red))
    r(f"huber05_{red}", F.huber_loss(x, y, delta=0.5, reduction=red))
    r(f"sl1_05_{red}", F.smooth_l1_loss(x, y, beta=0.5, reduction=red))
r("sl1_0_mean", F.smooth_l1_loss(x, y, beta=0.0))
bx = torch.tensor([[-2.0, 0.5, 3.0], [1.0, -0.3, 0.0]]); by = torch.tensor([[0.0, 1.0, 1.0], [0.2, 0.0, 1.0]])
pw = torch.tensor([1.5, 0.5, 2.0]); bw = torch.tensor([[1.0, 2.0, 0.5]])
for red in ["mean","sum","none"]:
    r(f"bcel_{red}", F.binary_cross_entropy_with_logits(bx, by, reduction=red))
    r(f"bcel_pw_{red}", F.binary_cross_entropy_with_logits(bx, by, pos_weight=pw, reduction=red))
    r(f"bcel_pw_w_{red}", F.binary_cross_entropy_with_logits(bx, by, weight=bw, pos_weight=pw, reduction=red))
    r(f"bce_{red}", F.binary_cross_entropy(torch.sigmoid(bx), by, reduction=red))
    r(f"bce_w_{red}", F.binary_cross_entropy(torch.sigmoid(bx), by, weight=bw, reduction=red))
r("bce_edges_none", F.binary_cross_entropy(torch.tensor([0.0, 1.0, 0.5, 0.0, 1.0]), torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0]), reduction="none"))
r("bcel_extreme_none", F.binary_cross_entropy_with_logits(torch.tensor([-1000.0, 1000.0, 800.0, -800.0]), torch.tensor([1.0, 0.0, 1.0, 0.0]), reduction="none"))
print(json.dumps(out))
*/
