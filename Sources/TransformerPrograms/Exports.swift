@_exported import Autograd
@_exported import Tasks
@_exported import Network
@_exported import Training
@_exported import Programs
