import os
import sys
import time

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter

from model import Tudui

# settings: python train.py [data folder] [epochs]
data_path = sys.argv[1] if len(sys.argv) > 1 else "dataset"
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
batch_size = 64
learning_rate = 0.01
torch.manual_seed(0)

# 1. the datasets (准备数据集)
transform = torchvision.transforms.ToTensor()
if os.path.isdir(os.path.join(data_path, "cifar-10-batches-py")):  # the full CIFAR-10, as torchvision keeps it
    train_data = torchvision.datasets.CIFAR10(data_path, train=True, transform=transform, download=False)
    test_data = torchvision.datasets.CIFAR10(data_path, train=False, transform=transform, download=False)
    epoch = 10  # the tutorial's 10 rounds
elif os.path.isdir(os.path.join(data_path, "train")):  # image files in one folder per class
    train_data = torchvision.datasets.ImageFolder(os.path.join(data_path, "train"), transform=transform)
    test_data = torchvision.datasets.ImageFolder(os.path.join(data_path, "test"), transform=transform)
    epoch = 40  # few images (the sample has 1,500): more rounds
else:
    sys.exit(f"train.py: no data in {data_path}; give a folder with cifar-10-batches-py, or with train/ and test/")
if len(sys.argv) > 2:
    epoch = int(sys.argv[2])
train_data_size = len(train_data)
test_data_size = len(test_data)
print(f"length of the training set: {train_data_size}, of the test set: {test_data_size}; device: {device}")

# 2. the DataLoaders
train_dataloader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=batch_size)

# 3. the model (搭建神经网络); 4. the loss function and the optimizer
model = Tudui().to(device)
loss_fn = nn.CrossEntropyLoss().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

# 5. counters and TensorBoard
total_train_step = 0
total_test_step = 0
writer = SummaryWriter(os.path.join("logs_train", time.strftime("%Y%m%d-%H%M%S")))

# 6. train, test and save, every epoch
start_time = time.time()
for i in range(epoch):
    model.train()
    for imgs, targets in train_dataloader:
        imgs, targets = imgs.to(device), targets.to(device)
        outputs = model(imgs)
        loss = loss_fn(outputs, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_train_step = total_train_step + 1
        if total_train_step % 100 == 0:
            writer.add_scalar("train_loss", loss.item(), total_train_step)

    model.eval()
    total_test_loss = 0
    total_accuracy = 0
    with torch.no_grad():
        for imgs, targets in test_dataloader:
            imgs, targets = imgs.to(device), targets.to(device)
            outputs = model(imgs)
            loss = loss_fn(outputs, targets)
            total_test_loss = total_test_loss + loss.item() * len(targets)
            total_accuracy = total_accuracy + (outputs.argmax(1) == targets).sum().item()
    print(f"epoch {i + 1}: test loss {total_test_loss / test_data_size:.4f}, "
          f"test accuracy {total_accuracy / test_data_size:.1%}, {time.time() - start_time:.0f} s")
    writer.add_scalar("test_loss", total_test_loss / test_data_size, total_test_step)
    writer.add_scalar("test_accuracy", total_accuracy / test_data_size, total_test_step)
    total_test_step = total_test_step + 1
    torch.save(model.state_dict(), f"tudui_{i}.pth")

torch.save(model.state_dict(), "tudui.pth")  # the final model, which test.py loads
writer.close()
print(f"saved tudui.pth; test accuracy {total_accuracy / test_data_size:.1%} (chance: 10.0%)")
