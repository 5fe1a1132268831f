import { jestProjectConfig } from '../../../jest.preset';

export default jestProjectConfig(__dirname);
