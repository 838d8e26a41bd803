import { render } from 'preact';
import { LocationProvider, Route, Router } from 'preact-iso/router';
import { AutoMpgPage } from './auto-mpg/AutoMpgPage.js';
import { FashionPage } from './fashion/FashionPage.js';
import { GanPage } from './gan/GanPage.js';
import { ImagesPage } from './images/ImagesPage.js';
import { ModelsPage } from './models/ModelsPage.js';
import { PlaygroundPage } from './playground/PlaygroundPage.js';
import { RecipesPage } from './recipes/RecipesPage.js';
import { TextPage } from './text/TextPage.js';
import './style.css';

/** The app's pages, one URL each; the settings of a run live in the query string. */
const pages = [
  {
    path: '/fashion?recipe=ch05-dense',
    title: 'Chapter 5: the first dense network',
    what: 'the dense network on 8,000 Fashion-MNIST images: live curves, the confusion matrix, its surest mistakes, and a canvas to draw an item on',
  },
  {
    path: '/playground',
    title: 'Chapter 7.4: TensorFlow Playground',
    what: 'one neuron, then a hidden layer, then a deep network on 2-D data: every neuron and the decision boundary drawn as it trains',
  },
  {
    path: '/fashion?recipe=ch08-fashion-basic',
    title: 'Chapter 8: convolutional networks',
    what: "any chapter-8 CNN on the same images, or on MNIST from your files: the same pictures, plus the first layer's filters and what each convolution makes of an image",
  },
  {
    path: '/auto-mpg',
    title: 'Chapter 9: the stages of a project (Auto MPG)',
    what: 'a regression with early stopping, trained on the MSE and on the MAE, its test predictions against the truth',
  },
  {
    path: '/images',
    title: 'Chapters 10 and 11: your own images, data augmentation and transfer learning',
    what: 'two classes of your pictures or more, the augmentation previewed on them slider by slider, the chapter-10 CNN trained without and with it, then a pretrained MobileNetV2 by feature extraction and by fine-tuning',
  },
  {
    path: '/models?model=resnet50',
    title: 'Chapter 12: named networks and the functional API',
    what: "VGG16/19, ResNet50, MobileNet, the functional API's examples and the book's own networks: Keras's summary and a diagram of the layers",
  },
  {
    path: '/text',
    title: 'Chapter 13: a recurrent network that writes text',
    what: 'a character-level GRU or LSTM trained on Moby Dick or your own text (or imported from the CLI), writing as you watch, with a temperature, top-k and seed',
  },
  {
    path: '/gan',
    title: 'Chapter 14: a DCGAN that makes clothes',
    what: 'the DCGAN trained by a hand-written loop on Fashion-MNIST, with stop and resume: the same noise drawn after every epoch, both losses, the sample scores, a walk through the latent space, and the generator exported for the CLI',
  },
  {
    path: '/recipes?recipe=ch12-functional',
    title: 'Every recipe with data in the page',
    what: 'a recipe trained in the page, epoch by epoch in a table (the functional API of chapter 12, and the others)',
  },
];

function Home() {
  return (
    <main class="home">
      <h1>Neurona: the book's experiments, trained in your browser</h1>
      <p>
        Each page trains with TensorFlow.js on the fastest backend this browser has (WebGPU, WebGL, WASM, then CPU) and
        says which, and why a faster one was passed over.
      </p>
      <ul class="chapters">
        {pages.map((p) => (
          <li key={p.path}>
            <a href={p.path}>{p.title}</a>: {p.what}
          </li>
        ))}
      </ul>
    </main>
  );
}

function NotFound() {
  return (
    <main>
      <h1>No such page</h1>
      <p>
        {location.pathname} is not a page of this app; <a href="/">the chapters</a> are.
      </p>
    </main>
  );
}

function App() {
  return (
    <LocationProvider>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/playground" component={PlaygroundPage} />
        <Route path="/fashion" component={FashionPage} />
        <Route path="/auto-mpg" component={AutoMpgPage} />
        <Route path="/images" component={ImagesPage} />
        <Route path="/models" component={ModelsPage} />
        <Route path="/text" component={TextPage} />
        <Route path="/gan" component={GanPage} />
        <Route path="/recipes" component={RecipesPage} />
        <Route default component={NotFound} />
      </Router>
    </LocationProvider>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
