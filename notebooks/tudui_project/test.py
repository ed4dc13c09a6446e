import sys

import torch
import torchvision
from PIL import Image

from model import Tudui

classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]  # label 0 to 9

# python test.py <picture> [model file]
image_path = sys.argv[1]
model_path = sys.argv[2] if len(sys.argv) > 2 else "tudui.pth"

image = Image.open(image_path)
image = image.convert("RGB")
transform = torchvision.transforms.Compose([torchvision.transforms.Resize((32, 32)),
                                            torchvision.transforms.ToTensor()])
image = transform(image)
image = torch.reshape(image, (1, 3, 32, 32))

model = Tudui()
model.load_state_dict(torch.load(model_path, map_location="cpu", weights_only=True))
model.eval()
with torch.no_grad():
    output = model(image)
print(output)
print(f"{image_path}: {classes[output.argmax(1).item()]}")
